namespace BackgroundTasks;

internal sealed partial class StoreWriter
{
    /// <summary>
    /// Saves <paramref name="records"/>, splitting a failed call in halves until each failure is down to one
    /// record, so that every record the persistence accepts is saved even when one of them cannot be.
    /// </summary>
    /// <remarks>
    /// A record is judged refused only when it failed alone while another record of the same attempt was saved:
    /// then the persistence works and the record itself is the problem. When nothing is saved the persistence
    /// is down, and splitting stops after about log2(n) failed calls in a row, so an outage costs a handful of
    /// calls per attempt rather than 2n. Records refused before go last and alone, so they cannot fail the others.
    /// </remarks>
    private async Task<SaveOutcome> SaveIsolatedAsync(List<TaskSummary> records)
    {
        var clean = new List<TaskSummary>(records.Count);
        List<TaskSummary>? suspects = null;
        foreach (var record in records)
        {
            if (_refusals.ContainsKey(record.TaskId))
            {
                (suspects ??= []).Add(record);
            }
            else
            {
                clean.Add(record);
            }
        }

        var outcome = new SaveOutcome(records.Count);
        if (clean.Count > 0)
        {
            await IsolateAsync(clean.ToArray(), 0, clean.Count, outcome).ConfigureAwait(false);
        }

        foreach (var suspect in suspects ?? [])
        {
            await IsolateAsync([suspect], 0, 1, outcome).ConfigureAwait(false);
        }

        return outcome;
    }

    private async Task IsolateAsync(TaskSummary[] records, int start, int count, SaveOutcome outcome)
    {
        if (outcome.GaveUpSplitting)
        {
            outcome.FailAll(records, start, count);
            return;
        }

        try
        {
            IReadOnlyList<TaskSummary> slice = count == records.Length ? records : new ArraySegment<TaskSummary>(records, start, count);
            await _persistence.SaveAsync(slice, CancellationToken.None).ConfigureAwait(false);
            outcome.SavedCount += count;
            return;
        }
        catch (Exception exception)
        {
            if (!outcome.NoteFailedCall(exception) || count == 1)
            {
                outcome.FailAll(records, start, count, count == 1 ? exception : null);
                return;
            }
        }

        var half = count / 2;
        await IsolateAsync(records, start, half, outcome).ConfigureAwait(false);
        await IsolateAsync(records, start + half, count - half, outcome).ConfigureAwait(false);
    }

    /// <summary>
    /// Counts a refusal against each refused record and reports it; a record refused
    /// <see cref="TaskStateStoreOptions.MaxRecordRefusals"/> times is replaced by a small truthful stand-in,
    /// saved at once; a stand-in refused as often is given up. Returns the stand-ins that were saved.
    /// </summary>
    private async Task<List<TaskSummary>?> SettleRefusedAsync(List<TaskSummary> refused, SaveOutcome outcome)
    {
        var replacements = new List<TaskSummary>();
        foreach (var record in refused)
        {
            var reason = outcome.FailureOf(record.TaskId);
            var refusals = _refusals[record.TaskId] = _refusals.GetValueOrDefault(record.TaskId) + 1;
            var givingUp = refusals >= _maxRefusals && _standIns.Contains(record.TaskId);
            var message = givingUp
                ? Messages.RecordGivenUp(_store.LookupCore(record.TaskId) ?? record, reason.Message)
                : Messages.RecordRefused(record, refusals, _maxRefusals, reason.Message);
            NoteFailure(reason, [record.TaskId], message, refusals: refusals);
            if (refusals < _maxRefusals)
            {
                continue;
            }

            _refusals.Remove(record.TaskId);
            if (givingUp)
            {
                // Even the small record is refused: nothing more can be stored for this task.
                _standIns.Remove(record.TaskId);
                _unsaved.Remove(record.TaskId);
                continue;
            }

            var standIn = StandIn(record, refusals, reason.Message);
            _unsaved[record.TaskId] = standIn;
            _standIns.Add(record.TaskId);
            replacements.Add(standIn);
        }

        if (replacements.Count == 0)
        {
            return null;
        }

        var saved = await SaveIsolatedAsync(replacements).ConfigureAwait(false);
        List<TaskSummary>? published = null;
        foreach (var standIn in replacements)
        {
            if (!saved.IsFailed(standIn.TaskId))
            {
                Saved(standIn);
                (published ??= []).Add(standIn);
            }
            else
            {
                // Counted from now on; its own refusals lead to giving up.
                _refusals[standIn.TaskId] = 0;
            }
        }

        return published;
    }

    /// <summary>What is kept of a record the persistence would not store: Failed, no result, an error that says why, a bounded description.</summary>
    private TaskSummary StandIn(TaskSummary refused, int refusals, string reason) => refused with
    {
        Status = BackgroundTaskStatus.Failed,
        Result = null,
        Error = Messages.RecordNotStored(refused.Status, refusals, reason),
        Description = Messages.Clip(refused.Description),
        CompletedAt = refused.CompletedAt ?? _timeProvider.GetUtcNow(),
    };

    /// <summary>What one attempt achieved: which records were not saved, and which of those the persistence refused alone.</summary>
    private sealed class SaveOutcome
    {
        public static readonly SaveOutcome Nothing = new(0);

        private readonly int _budget;
        private readonly Dictionary<string, Exception?> _failed = new(StringComparer.Ordinal);
        private int _failedCallsBeforeSave;

        public SaveOutcome(int records) => _budget = 3 + (int)Math.Ceiling(Math.Log2(Math.Max(records, 1)));

        public int SavedCount { get; set; }

        /// <summary>The first exception of the attempt.</summary>
        public Exception? Failure { get; private set; }

        public bool GaveUpSplitting { get; private set; }

        /// <summary>Nothing was saved although something failed: the persistence itself is failing.</summary>
        public bool IsDown => SavedCount == 0 && Failure is not null;

        public bool IsFailed(string taskId) => _failed.ContainsKey(taskId);

        /// <summary>Failed alone while the persistence saved others.</summary>
        public bool IsRefused(string taskId) => !IsDown && _failed.TryGetValue(taskId, out var alone) && alone is not null;

        public Exception FailureOf(string taskId) => _failed.GetValueOrDefault(taskId) ?? Failure!;

        /// <summary>Notes a failed call; false once so many calls in a row failed, with nothing saved, that splitting further is pointless.</summary>
        public bool NoteFailedCall(Exception exception)
        {
            Failure ??= exception;
            if (SavedCount == 0 && ++_failedCallsBeforeSave > _budget)
            {
                GaveUpSplitting = true;
            }

            return !GaveUpSplitting;
        }

        public void FailAll(TaskSummary[] records, int start, int count, Exception? alone = null)
        {
            for (var i = start; i < start + count; i++)
            {
                _failed[records[i].TaskId] = alone;
            }
        }
    }
}
