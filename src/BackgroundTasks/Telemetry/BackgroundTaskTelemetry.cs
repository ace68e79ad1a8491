namespace BackgroundTasks;

/// <summary>
/// The names under which the library reports metrics, traces and logs, for wiring exporters
/// (<c>AddMeter(BackgroundTaskTelemetry.MeterName)</c>, <c>AddSource(BackgroundTaskTelemetry.ActivitySourceName)</c>)
/// and for filtering.
/// </summary>
/// <remarks>
/// Every instrument and the activity source cost next to nothing while nobody listens: the manager checks
/// <c>Instrument.Enabled</c>, <c>ActivitySource.HasListeners</c> and <c>ILogger.IsEnabled</c> before it
/// builds a tag or a message.
/// </remarks>
public static class BackgroundTaskTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/>: <c>BackgroundTasks</c>.</summary>
    public const string MeterName = "BackgroundTasks";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/>: <c>BackgroundTasks</c>.</summary>
    public const string ActivitySourceName = "BackgroundTasks";

    /// <summary>The name of every task activity; its display name is <c>"{task type} {task id}"</c>.</summary>
    public const string TaskActivityName = "background_task";

    /// <summary>Counter of spawned tasks, tagged <see cref="TaskTypeTag"/>.</summary>
    public const string TasksSpawned = "background_tasks.tasks.spawned";

    /// <summary>Counter of ended tasks, tagged <see cref="TaskTypeTag"/> and <see cref="TaskStatusTag"/>.</summary>
    public const string TasksEnded = "background_tasks.tasks.ended";

    /// <summary>Up-down counter of tasks whose body has not ended yet, tagged <see cref="TaskTypeTag"/>.</summary>
    public const string TasksLive = "background_tasks.tasks.live";

    /// <summary>
    /// Histogram of task durations in seconds, from the Running record's <c>CreatedAt</c> to the terminal
    /// record's <c>CompletedAt</c> (so measured with the manager's <see cref="TimeProvider"/>), tagged
    /// <see cref="TaskTypeTag"/> and <see cref="TaskStatusTag"/>.
    /// </summary>
    public const string TaskDuration = "background_tasks.task.duration";

    /// <summary>Counter of messages delivered to sub-agent inboxes by <c>SendTaskInboxMessageAsync</c>.</summary>
    public const string InboxMessagesSent = "background_tasks.inbox.messages_sent";

    /// <summary>Counter of store writes that failed, tagged <see cref="OperationTag"/> (<c>spawn</c> or <c>end</c>).</summary>
    public const string PersistenceFaults = "background_tasks.persistence.faults";

    /// <summary>Tag: the task id (activities and logs only; never a metric tag).</summary>
    public const string TaskIdTag = "background_tasks.task.id";

    /// <summary>Tag: the task type, such as <c>fetch</c> or <c>sub_agent</c>.</summary>
    public const string TaskTypeTag = "background_tasks.task.type";

    /// <summary>Tag: the terminal status, <c>completed</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public const string TaskStatusTag = "background_tasks.task.status";

    /// <summary>Tag: the owner thread id (activities only; never a metric tag).</summary>
    public const string OwnerThreadIdTag = "background_tasks.owner_thread.id";

    /// <summary>Tag: the task name, when it has one (activities only).</summary>
    public const string TaskNameTag = "background_tasks.task.name";

    /// <summary>Tag: the parent task id, when the task has one (activities only).</summary>
    public const string ParentTaskIdTag = "background_tasks.parent_task.id";

    /// <summary>Tag: the error of a failed task (activities only).</summary>
    public const string ErrorTag = "background_tasks.task.error";

    /// <summary>
    /// Tag: <see langword="true"/> on the <see cref="TasksEnded"/> count of a task abandoned because its body did not stop
    /// within the grace of <c>CancelAndWaitAsync</c> or the manager's shutdown; absent otherwise.
    /// </summary>
    public const string AbandonedTag = "background_tasks.task.abandoned";

    /// <summary>Tag: which store write failed, <c>spawn</c>, <c>attempt</c> or <c>end</c>.</summary>
    public const string OperationTag = "background_tasks.operation";
}
