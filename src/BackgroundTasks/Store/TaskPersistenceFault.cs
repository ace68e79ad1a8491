namespace BackgroundTasks;

/// <summary>A write of a <see cref="TaskStateStore"/> to its persistence that failed, as seen on <see cref="TaskStateStore.PersistenceFaults"/>.</summary>
/// <remarks>
/// The records named in <see cref="PendingTaskIds"/> stay in the store's cache as they are and are retried
/// with a growing delay until a write succeeds or the store is disposed. A Running record of a spawn that
/// was in the failed batch is not retried: that spawn fails with <see cref="SpawnError.State"/> instead.
/// </remarks>
public sealed class TaskPersistenceFault
{
    internal TaskPersistenceFault(Exception exception, IReadOnlyList<string> pendingTaskIds, int attempt, bool isRemoval)
    {
        Exception = exception;
        PendingTaskIds = pendingTaskIds;
        Attempt = attempt;
        IsRemoval = isRemoval;
    }

    /// <summary>What the persistence threw.</summary>
    public Exception Exception { get; }

    /// <summary>The ids of the records that are not durable yet and will be retried.</summary>
    public IReadOnlyList<string> PendingTaskIds { get; }

    /// <summary>How many writes in a row have failed, counting this one (1 for the first).</summary>
    public int Attempt { get; }

    /// <summary>Whether the failed write was a removal of pruned records rather than a save.</summary>
    public bool IsRemoval { get; }
}
