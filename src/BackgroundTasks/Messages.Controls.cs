namespace BackgroundTasks;

internal static partial class Messages
{
    public static string QueueFull(string ownerThreadId, int maxQueued) =>
        Format("Thread '{0}' already has {1} queued tasks, the most MaxQueuedPerOwner allows; the spawn was refused.", ownerThreadId, maxQueued);

    public const string NoTaskIds = "At least one task id is needed; the collection is empty.";

    public const string NullTaskId = "The collection of task ids holds a null id.";

    public const string NullSpawnRequest = "The spawn block's request function returned null; return a SpawnRequest for every input.";

    public static string UndefinedValue(string option) => Format("The value of {0} is not one of its defined values.", option);

    /// <summary>The error of an attempt whose <see cref="SpawnOptions.Timeout"/> passed: <c>timed out after 00:00:05</c>.</summary>
    public static string TimedOut(TimeSpan timeout) => Format("timed out after {0:c}", timeout);

    /// <summary>The error of an attempt whose <see cref="SpawnOptions.HeartbeatTimeout"/> passed with no sign of life.</summary>
    public static string HeartbeatTimedOut(TimeSpan heartbeatTimeout) => Format("heartbeat timed out after {0:c}", heartbeatTimeout);

    /// <summary>The error of a task abandoned by <c>CancelAndWaitAsync</c> or <c>DisposeAsync</c>.</summary>
    public static string Abandoned(TimeSpan grace) => Format("abandoned: did not stop within {0:c} of cancellation", grace);

    public static string NegativeGrace(string parameter) =>
        Format("{0} must not be negative, except Timeout.InfiniteTimeSpan to wait for ever.", parameter);
}
