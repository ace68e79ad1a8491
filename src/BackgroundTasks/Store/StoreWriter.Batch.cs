using System.Diagnostics;

namespace BackgroundTasks;

internal sealed partial class StoreWriter
{
    /// <summary>
    /// Saves the pending records and the batch in one call; then releases the batch's waiters. A failure keeps
    /// the updates pending, fails the inserts, reports, and schedules a retry.
    /// </summary>
    private async Task SaveAsync(bool batchHasWork)
    {
        var records = new List<TaskSummary>(_unsaved.Count + _batch.Count);
        Dictionary<string, int>? positions = null;
        if (_unsaved.Count > 0)
        {
            // The pending versions go first; a newer version of the same task in the batch replaces its entry,
            // so the persistence sees each id once, with its latest record.
            positions = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var pending in _unsaved.Values)
            {
                positions[pending.TaskId] = records.Count;
                records.Add(pending);
            }
        }

        if (batchHasWork)
        {
            foreach (var work in _batch)
            {
                var summary = work.Summary!;

                // An update whose record has been pruned since it was queued would bring the record back on disk.
                if (work.Kind == StoreWork.WorkKind.Update && _store.LookupCore(summary.TaskId) is null)
                {
                    continue;
                }

                if (positions is not null && positions.TryGetValue(summary.TaskId, out var position))
                {
                    records[position] = summary;
                }
                else
                {
                    positions?.Add(summary.TaskId, records.Count);
                    records.Add(summary);
                }
            }
        }

        Exception? failure = null;
        if (records.Count > 0)
        {
            try
            {
                await _persistence.SaveAsync(records, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        }

        if (failure is null)
        {
            _unsaved.Clear();
            if (_unremoved.Count > 0)
            {
                // A record saved again (restored after it was pruned) must not be deleted by an older removal.
                foreach (var record in records)
                {
                    _unremoved.Remove(record.TaskId);
                }
            }

            NoteSuccess();
            ReleaseBatch(failure: null);
            return;
        }

        if (batchHasWork)
        {
            foreach (var work in _batch)
            {
                if (work.Kind == StoreWork.WorkKind.Update && _store.LookupCore(work.Summary!.TaskId) is not null)
                {
                    _unsaved[work.Summary.TaskId] = work.Summary;
                }
            }
        }

        NoteFailure(failure, [.. _unsaved.Keys], isRemoval: false);
        ReleaseBatch(failure);
    }

    /// <summary>Inserts learn the outcome (a failure fails their spawn); updates are released either way, since they stay pending.</summary>
    private void ReleaseBatch(Exception? failure)
    {
        foreach (var work in _batch)
        {
            if (work.Written is not { } written)
            {
                continue;
            }

            if (failure is not null && work.Kind == StoreWork.WorkKind.Insert)
            {
                written.TrySetException(failure);
            }
            else
            {
                written.TrySetResult();
            }
        }
    }

    /// <summary>Removes pruned records from the cache and the indexes, then from the persistence.</summary>
    private async Task PruneOnLoopAsync()
    {
        var removed = new List<string>();
        Exception? observerFault = null;
        try
        {
            // Records with a pending save stay until they are saved, so a removal never races with a retry.
            _store.PruneCache(_unsaved.Count == 0 ? null : _unsaved.ContainsKey, removed);
        }
        catch (Exception exception)
        {
            // An observer of the cache threw while the removal was delivered; the cache itself is consistent.
            observerFault = exception;
        }

        _unremoved.UnionWith(removed);
        await RemoveAsync().ConfigureAwait(false);

        foreach (var waiter in _pruneWaiters)
        {
            if (observerFault is null)
            {
                waiter.TrySetResult(removed.Count);
            }
            else
            {
                waiter.TrySetException(observerFault);
            }
        }

        _pruneWaiters.Clear();
    }

    private async Task RemoveAsync()
    {
        if (_unremoved.Count == 0 || _removal is null)
        {
            _unremoved.Clear();
            return;
        }

        string[] ids = [.. _unremoved];
        try
        {
            await _removal.RemoveAsync(ids, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            NoteFailure(exception, ids, isRemoval: true);
            return;
        }

        _unremoved.Clear();
        NoteSuccess();
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
    }

    /// <summary>
    /// Schedules the next attempt (the delay doubles with each failure in a row), then logs and publishes the
    /// failure: in that order, so whoever sees the fault can rely on the retry being scheduled already.
    /// </summary>
    private void NoteFailure(Exception failure, string[] pendingIds, bool isRemoval)
    {
        _failures++;
        _lastFailure = failure;
        if (!_closed && (_unsaved.Count > 0 || _unremoved.Count > 0))
        {
            var doublings = Math.Min(_failures - 1, 30);
            var delay = TimeSpan.FromTicks((long)Math.Min(_firstRetryDelay.Ticks * Math.Pow(2, doublings), _maxRetryDelay.Ticks));
            _retryTimer ??= _timeProvider.CreateTimer(
                static state => ((StoreWriter)state!)._queue.Writer.TryWrite(StoreWork.RetryDue),
                this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _retryTimer.Change(delay, Timeout.InfiniteTimeSpan);
        }

        Trace.TraceWarning(isRemoval
            ? Messages.RemoveFailed(pendingIds, _failures, failure.Message)
            : Messages.SaveFailed(pendingIds, _failures, failure.Message));
        _store.ReportFault(new TaskPersistenceFault(failure, pendingIds, _failures, isRemoval));
    }
}
