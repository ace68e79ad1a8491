namespace BackgroundTasks;

/// <summary>A write of a <see cref="TaskStateStore"/> to its persistence that failed, as seen on <see cref="TaskStateStore.PersistenceFaults"/>.</summary>
/// <remarks>
/// The records named in <see cref="PendingTaskIds"/> stay in the store's cache as they are and are retried
/// with a growing delay until a write succeeds or the store is disposed (a refused record, see
/// <see cref="IsRecordRefused"/>, a bounded number of times). A Running record of a spawn that failed to save
/// is not retried: that spawn fails with <see cref="SpawnError.State"/> instead.
/// </remarks>
public sealed class TaskPersistenceFault
{
    internal TaskPersistenceFault(Exception exception, IReadOnlyList<string> pendingTaskIds, int attempt, bool isRemoval,
        bool isRecordRefused, string message)
    {
        IsRecordRefused = isRecordRefused;
        Message = message;
        Exception = exception;
        PendingTaskIds = pendingTaskIds;
        Attempt = attempt;
        IsRemoval = isRemoval;
    }

    /// <summary>What the persistence threw.</summary>
    public Exception Exception { get; }

    /// <summary>The ids of the records that are not durable yet and will be retried.</summary>
    public IReadOnlyList<string> PendingTaskIds { get; }

    /// <summary>
    /// How many writes in a row have failed, counting this one (1 for the first); for a refused record, how many
    /// times the persistence has refused it.
    /// </summary>
    public int Attempt { get; }

    /// <summary>Whether the failed write was a removal of pruned records rather than a save.</summary>
    public bool IsRemoval { get; }

    /// <summary>
    /// Whether the persistence refused the one record in <see cref="PendingTaskIds"/> while it saved the others
    /// of the same attempt: the record itself is the problem (it is retried up to
    /// <see cref="TaskStateStoreOptions.MaxRecordRefusals"/> times, then replaced by a small Failed record).
    /// </summary>
    public bool IsRecordRefused { get; }

    /// <summary>What happened, as the store logged it: which records, which attempt, the persistence's reason, and for a task's end that is not stored, that it would reopen as an orphan.</summary>
    public string Message { get; }
}
