namespace BackgroundTasks;

/// <summary>Helpers for <see cref="BackgroundTaskStatus"/>.</summary>
public static class BackgroundTaskStatusExtensions
{
    /// <summary>Whether the status is final: Completed, Failed or Cancelled (not Running, not Queued).</summary>
    /// <param name="status">The status to test.</param>
    /// <returns><see langword="true"/> for Completed, Failed and Cancelled.</returns>
    public static bool IsTerminal(this BackgroundTaskStatus status) =>
        status is BackgroundTaskStatus.Completed or BackgroundTaskStatus.Failed or BackgroundTaskStatus.Cancelled;

    /// <summary>The wire name of the status: "running", "completed", "failed", "cancelled" or "queued".</summary>
    /// <param name="status">The status to name.</param>
    /// <returns>The lower-case name used in JSON.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a defined value.</exception>
    public static string AsString(this BackgroundTaskStatus status) => status switch
    {
        BackgroundTaskStatus.Running => "running",
        BackgroundTaskStatus.Completed => "completed",
        BackgroundTaskStatus.Failed => "failed",
        BackgroundTaskStatus.Cancelled => "cancelled",
        BackgroundTaskStatus.Queued => "queued",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, Messages.UnknownStatusValue(status)),
    };
}
