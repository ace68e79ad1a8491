using Microsoft.Extensions.Logging;

namespace BackgroundTasks;

/// <summary>
/// The manager's log events, source-generated so that a disabled level costs one <c>IsEnabled</c> check
/// and no allocation. Event ids are stable; the README lists them.
/// </summary>
internal static partial class TaskLog
{
    [LoggerMessage(EventId = 1, EventName = "TaskSpawned", Level = LogLevel.Debug,
        Message = "Spawned task {TaskId} ({TaskType}, name {TaskName}) for thread {OwnerThreadId}, parent task {ParentTaskId}.")]
    public static partial void TaskSpawned(ILogger logger, string taskId, string taskType, string? taskName, string ownerThreadId, string? parentTaskId);

    [LoggerMessage(EventId = 2, EventName = "TaskCompleted", Level = LogLevel.Debug,
        Message = "Task {TaskId} ({TaskType}) completed in {DurationSeconds:0.###} s.")]
    public static partial void TaskCompleted(ILogger logger, string taskId, string taskType, double durationSeconds);

    [LoggerMessage(EventId = 3, EventName = "TaskFailed", Level = LogLevel.Warning,
        Message = "Task {TaskId} ({TaskType}) failed after {DurationSeconds:0.###} s: {Error}")]
    public static partial void TaskFailed(ILogger logger, string taskId, string taskType, double durationSeconds, string? error);

    [LoggerMessage(EventId = 4, EventName = "TaskCancelled", Level = LogLevel.Information,
        Message = "Task {TaskId} ({TaskType}) was cancelled after {DurationSeconds:0.###} s.")]
    public static partial void TaskCancelled(ILogger logger, string taskId, string taskType, double durationSeconds);

    [LoggerMessage(EventId = 5, EventName = "CancellationRequested", Level = LogLevel.Information,
        Message = "Cancellation requested for task {TaskId} ({TaskType}) of thread {OwnerThreadId}.")]
    public static partial void CancellationRequested(ILogger logger, string taskId, string taskType, string ownerThreadId);

    [LoggerMessage(EventId = 6, EventName = "TasksRestored", Level = LogLevel.Information,
        Message = "Restored {Count} task(s) for thread {OwnerThreadId}; {OrphanCount} of them orphaned.")]
    public static partial void TasksRestored(ILogger logger, int count, string ownerThreadId, int orphanCount);

    [LoggerMessage(EventId = 7, EventName = "TaskOrphaned", Level = LogLevel.Warning,
        Message = "Task {TaskId} ({TaskType}) of thread {OwnerThreadId} was running when its runtime went away; it is recorded as failed.")]
    public static partial void TaskOrphaned(ILogger logger, string taskId, string taskType, string ownerThreadId);

    [LoggerMessage(EventId = 8, EventName = "DeliveryFault", Level = LogLevel.Warning,
        Message = "A callback of task {TaskId} threw (an inbox, an event observer or a cancellation registration); the task goes on.")]
    public static partial void DeliveryFault(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(EventId = 9, EventName = "PersistenceFault", Level = LogLevel.Error,
        Message = "The task state store could not record the {Operation} of task {TaskId}.")]
    public static partial void PersistenceFault(ILogger logger, Exception exception, string operation, string taskId);

    [LoggerMessage(EventId = 10, EventName = "InboxMessageSent", Level = LogLevel.Debug,
        Message = "Delivered a message from {SenderAgentId} to sub-agent {TaskId}.")]
    public static partial void InboxMessageSent(ILogger logger, string taskId, string senderAgentId);

    [LoggerMessage(EventId = 11, EventName = "TaskAbandoned", Level = LogLevel.Warning,
        Message = "Task {TaskId} ({TaskType}) was abandoned and recorded as cancelled ({Error}); whatever its body returns later is ignored.")]
    public static partial void TaskAbandoned(ILogger logger, string taskId, string taskType, string? error);

    [LoggerMessage(EventId = 12, EventName = "LateResultIgnored", Level = LogLevel.Warning,
        Message = "The body of task {TaskId} ({TaskType}), attempt {Attempt}, ended ({Outcome}) after it was abandoned or timed out; ignored.")]
    public static partial void LateResultIgnored(ILogger logger, string taskId, string taskType, int attempt, string outcome);

    [LoggerMessage(EventId = 13, EventName = "TaskRetrying", Level = LogLevel.Information,
        Message = "Task {TaskId} ({TaskType}) attempt {Attempt} failed; retrying in {DelayMilliseconds:0} ms: {Error}")]
    public static partial void TaskRetrying(ILogger logger, string taskId, string taskType, int attempt, double delayMilliseconds, string error);
}
