namespace BackgroundTasks.Serialization;

/// <summary>Parses the wire names produced by <see cref="BackgroundTaskStatusExtensions.AsString"/>.</summary>
internal static class BackgroundTaskStatusNames
{
    /// <summary>Parses "running", "completed", "failed", "cancelled" or "queued"; exact, case-sensitive match.</summary>
    /// <remarks>Case-sensitive on purpose: the writer only ever produces lower case, so anything else is not ours.</remarks>
    public static bool TryParse(string? value, out BackgroundTaskStatus status)
    {
        switch (value)
        {
            case "running":
                status = BackgroundTaskStatus.Running;
                return true;
            case "completed":
                status = BackgroundTaskStatus.Completed;
                return true;
            case "failed":
                status = BackgroundTaskStatus.Failed;
                return true;
            case "cancelled":
                status = BackgroundTaskStatus.Cancelled;
                return true;
            case "queued":
                status = BackgroundTaskStatus.Queued;
                return true;
            default:
                status = default;
                return false;
        }
    }
}
