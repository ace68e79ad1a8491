namespace BackgroundTasks;

/// <summary>Helpers for <see cref="BackgroundTaskStatus"/>.</summary>
public static class BackgroundTaskStatusExtensions
{
    /// <summary>Whether the status is final: every status but <see cref="BackgroundTaskStatus.Running"/>.</summary>
    /// <param name="status">The status to test.</param>
    /// <returns><see langword="true"/> for Completed, Failed and Cancelled.</returns>
    public static bool IsTerminal(this BackgroundTaskStatus status) => status != BackgroundTaskStatus.Running;

    /// <summary>The wire name of the status: "running", "completed", "failed" or "cancelled".</summary>
    /// <param name="status">The status to name.</param>
    /// <returns>The lower-case name used in JSON.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a defined value.</exception>
    public static string AsString(this BackgroundTaskStatus status) => status switch
    {
        BackgroundTaskStatus.Running => "running",
        BackgroundTaskStatus.Completed => "completed",
        BackgroundTaskStatus.Failed => "failed",
        BackgroundTaskStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, Messages.UnknownStatusValue(status)),
    };
}
