using System.Diagnostics;

namespace BackgroundTasks;

internal sealed partial class StoreWriter
{
    /// <summary>
    /// One attempt: saves the pending records and the batch (isolating the records the persistence refuses),
    /// settles what the outcome means for each record, and hands the batch's changed records to the publisher.
    /// </summary>
    private async Task SaveAsync(bool batchHasWork)
    {
        var records = CollectAttempt(batchHasWork, out var updates);
        var outcome = records.Count == 0 ? SaveOutcome.Nothing : await SaveIsolatedAsync(records).ConfigureAwait(false);

        List<TaskSummary>? refused = null;
        foreach (var record in records)
        {
            if (!outcome.IsFailed(record.TaskId))
            {
                Saved(record);
            }
            else if (_unsaved.ContainsKey(record.TaskId) || IsUpdate(record, updates))
            {
                _unsaved[record.TaskId] = record;
                if (outcome.IsRefused(record.TaskId))
                {
                    (refused ??= []).Add(record);
                }
            }
        }

        List<TaskSummary>? standIns = null;
        if (refused is not null)
        {
            standIns = await SettleRefusedAsync(refused, outcome).ConfigureAwait(false);
        }

        // Reported before anyone learns the outcome, so whoever sees the failed record can rely on the fault being out.
        if (outcome.IsDown)
        {
            string[] ids = [.. _unsaved.Keys];
            NoteFailure(outcome.Failure!, ids, Messages.SaveFailed(ids, _unsaved.Values, _failures + 1, outcome.Failure!.Message));
        }
        else
        {
            NoteSuccess();
        }

        ReleaseInserts(outcome);
        Publish(updates, standIns);
    }

    /// <summary>The pending versions first, then the batch; a newer version of a task replaces its entry, so the persistence sees each id once.</summary>
    private List<TaskSummary> CollectAttempt(bool batchHasWork, out Dictionary<string, TaskSummary>? updates)
    {
        updates = null;
        var records = new List<TaskSummary>(_unsaved.Count + _batch.Count);
        var positions = new Dictionary<string, int>(_unsaved.Count + _batch.Count, StringComparer.Ordinal);
        foreach (var pending in _unsaved.Values)
        {
            positions[pending.TaskId] = records.Count;
            records.Add(pending);
        }

        if (!batchHasWork)
        {
            return records;
        }

        ForgetAppliedEnds();

        foreach (var work in _batch)
        {
            var summary = work.Summary!;

            // An update whose record has been pruned since it was queued would bring the record back on disk; one
            // that would reopen an ended task lost a race with the end, which must stay the last row (StoreWriter.Ends.cs).
            if (work.Kind == StoreWork.WorkKind.Update
                && (ReopensAnEndInFlight(summary) || _store.LookupCore(summary.TaskId) is not { } current
                    || TaskStateStore.Reopens(current, summary)))
            {
                continue;
            }

            if (positions.TryGetValue(summary.TaskId, out var position))
            {
                if (TaskStateStore.Reopens(records[position], summary))
                {
                    continue;
                }

                records[position] = summary;
            }
            else
            {
                positions.Add(summary.TaskId, records.Count);
                records.Add(summary);
            }

            if (work.Kind == StoreWork.WorkKind.Update)
            {
                (updates ??= new Dictionary<string, TaskSummary>(StringComparer.Ordinal))[summary.TaskId] = summary;
            }
        }

        return records;
    }

    private static bool IsUpdate(TaskSummary record, Dictionary<string, TaskSummary>? updates) =>
        updates is not null && updates.TryGetValue(record.TaskId, out var update) && ReferenceEquals(update, record);

    private void Saved(TaskSummary record)
    {
        _unsaved.Remove(record.TaskId);
        _refusals.Remove(record.TaskId);
        _standIns.Remove(record.TaskId);

        // A record saved again (restored after it was pruned) must not be deleted by an older removal.
        _unremoved.Remove(record.TaskId);
    }

    /// <summary>Inserts learn the outcome: a refused or unsaved Running record fails its spawn, with what the persistence threw.</summary>
    private void ReleaseInserts(SaveOutcome outcome)
    {
        foreach (var work in _batch)
        {
            if (work.Kind != StoreWork.WorkKind.Insert)
            {
                continue;
            }

            if (outcome.IsFailed(work.Summary!.TaskId))
            {
                work.Written!.TrySetException(outcome.FailureOf(work.Summary.TaskId));
            }
            else
            {
                work.Written!.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Hands the publisher the batch's changed records (saved or failed once: either way they enter the cache
    /// now) and the stand-ins saved in place of refused records, with the waiters to release after them.
    /// </summary>
    private void Publish(Dictionary<string, TaskSummary>? updates, List<TaskSummary>? standIns)
    {
        List<TaskCompletionSource>? waiters = null;
        foreach (var work in _batch)
        {
            if (work.Kind == StoreWork.WorkKind.Update && work.Written is { } written)
            {
                (waiters ??= []).Add(written);
            }
        }

        if (updates is null && standIns is null && waiters is null)
        {
            return;
        }

        var records = new List<TaskSummary>((updates?.Count ?? 0) + (standIns?.Count ?? 0));
        if (updates is not null)
        {
            records.AddRange(updates.Values);
        }

        records.AddRange(standIns ?? []);

        // Eviction by the per-owner cap must skip records whose save is still pending; this attempt's
        // outcome is what decides that, so the set is taken now.
        HashSet<string>? pinned = _unsaved.Count == 0 ? null : new HashSet<string>(_unsaved.Keys, StringComparer.Ordinal);
        NoteEnds(updates);
        if (!_publications.Writer.TryWrite(new Publication(records, waiters, pinned)))
        {
            Debug.Fail("The publisher is completed only after the loop and the final flush.");
        }
    }

    private async Task PublishAsync()
    {
        var reader = _publications.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var publication))
            {
                var evicted = _store.ApplySaved(publication.Records, publication.Pinned);
                NoteApplied();
                if (evicted.Count > 0)
                {
                    Forget(evicted);
                }

                foreach (var waiter in publication.Waiters ?? [])
                {
                    waiter.TrySetResult();
                }
            }
        }
    }

    private void NoteSuccess()
    {
        if (_unsaved.Count == 0 && _unremoved.Count == 0)
        {
            _failures = 0;
            _lastFailure = null;
            if (!_closed)
            {
                _retryTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
        else if (_unsaved.Count > 0)
        {
            // The persistence works, but refused records stay pending: they ride along with the next batch,
            // or are retried alone once their delay has passed.
            ScheduleRetry();
        }
    }

    /// <summary>
    /// Schedules the next attempt (the delay doubles with each failure in a row), then logs and publishes the
    /// failure: in that order, so whoever sees the fault can rely on the retry being scheduled already.
    /// </summary>
    private void NoteFailure(Exception failure, string[] ids, string message, bool isRemoval = false, int? refusals = null)
    {
        _failures++;
        _lastFailure = failure;
        ScheduleRetry();
        Trace.TraceWarning(message);
        _store.ReportFault(new TaskPersistenceFault(failure, ids, refusals ?? _failures, isRemoval, isRecordRefused: refusals is not null, message));
    }

    private void ScheduleRetry()
    {
        if (_closed || (_unsaved.Count == 0 && _unremoved.Count == 0))
        {
            return;
        }

        var doublings = Math.Clamp(_failures - 1, 0, 30);
        var delay = TimeSpan.FromTicks((long)Math.Min(_firstRetryDelay.Ticks * Math.Pow(2, doublings), _maxRetryDelay.Ticks));
        _retryTimer ??= _timeProvider.CreateTimer(
            static state => ((StoreWriter)state!)._queue.Writer.TryWrite(StoreWork.RetryDue),
            this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _retryTimer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Records to apply to the cache in order, the waiters to release after them, and the ids eviction must skip.</summary>
    private readonly record struct Publication(List<TaskSummary> Records, List<TaskCompletionSource>? Waiters, HashSet<string>? Pinned);
}
