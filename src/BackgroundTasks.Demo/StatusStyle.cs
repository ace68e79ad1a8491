namespace BackgroundTasks.Demo;

/// <summary>The Spectre.Console colour of each status.</summary>
internal static class StatusStyle
{
    public static string Of(BackgroundTaskStatus status) => status switch
    {
        BackgroundTaskStatus.Running => "yellow",
        BackgroundTaskStatus.Completed => "green",
        BackgroundTaskStatus.Failed => "red",
        _ => "grey",
    };
}
