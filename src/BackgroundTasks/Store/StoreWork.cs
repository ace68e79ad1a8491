namespace BackgroundTasks;

/// <summary>One item of a store writer's queue: a record to save, a prune to run, or a wake-up.</summary>
internal readonly struct StoreWork
{
    private StoreWork(WorkKind kind, TaskSummary? summary, TaskCompletionSource? written, TaskCompletionSource<int>? pruned)
    {
        Kind = kind;
        Summary = summary;
        Written = written;
        Pruned = pruned;
    }

    public enum WorkKind
    {
        /// <summary>A new Running record: its waiter fails when its save fails, and it is not retried.</summary>
        Insert,

        /// <summary>A changed record: it enters the cache and its waiter is released after the first attempt, and it is retried until saved.</summary>
        Update,

        /// <summary>Prune by the retention policy.</summary>
        Prune,

        /// <summary>The retry delay has passed.</summary>
        Retry,

        /// <summary>There is more to do without new work: the next slice of a prune, or evicted records to remove.</summary>
        Wake,
    }

    public static StoreWork RetryDue => new(WorkKind.Retry, null, null, null);

    public static StoreWork WakeUp => new(WorkKind.Wake, null, null, null);

    public WorkKind Kind { get; }

    public TaskSummary? Summary { get; }

    /// <summary>Released when the record is saved (or, for an update, has failed once and entered the cache). May be null.</summary>
    public TaskCompletionSource? Written { get; }

    /// <summary>Receives the number of records pruned. May be null.</summary>
    public TaskCompletionSource<int>? Pruned { get; }

    public static StoreWork Insert(TaskSummary summary, TaskCompletionSource written) => new(WorkKind.Insert, summary, written, null);

    public static StoreWork Update(TaskSummary summary, TaskCompletionSource? written) => new(WorkKind.Update, summary, written, null);

    public static StoreWork Prune(TaskCompletionSource<int>? pruned) => new(WorkKind.Prune, null, null, pruned);
}
