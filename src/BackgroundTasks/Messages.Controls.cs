namespace BackgroundTasks;

internal static partial class Messages
{
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
