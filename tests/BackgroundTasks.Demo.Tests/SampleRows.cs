namespace BackgroundTasks.Demo.Tests;

/// <summary>A board's rows like the scenario's, with a deeper level and longer texts than it has, to lay out.</summary>
internal static class SampleRows
{
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    public static IReadOnlyList<TaskRow> Tree() =>
    [
        Row("bg_0", "sub_agent", "market", null, BackgroundTaskStatus.Running, 0),
        Row("bg_1", "fetch", "fetch analyst reports on agent runtime vendors", "bg_0", BackgroundTaskStatus.Completed, 100),
        Row("bg_2", "fetch", "fetch pricing pages on agent runtime vendors", "bg_0", BackgroundTaskStatus.Running, 40),
        Row("bg_3", "summarise", "summarise the pricing pages of every vendor we found", "bg_2", BackgroundTaskStatus.Running, 25),
        Row("bg_4", "fetch", "fetch the archived pricing pages of 2023", "bg_3", BackgroundTaskStatus.Running, 60),
        Row("bg_5", "sub_agent", "patents", null, BackgroundTaskStatus.Running, 0),
        Row("bg_6", "fetch", "fetch EPO on background task patents", "bg_5", BackgroundTaskStatus.Failed, 40,
            "EPO: upstream returned 503 Service Unavailable"),
        Row("bg_10", "fetch", "fetch USPTO on background task patents", "bg_5", BackgroundTaskStatus.Cancelled, 20),
        Row("bg_11", "sub_agent", "papers", null, BackgroundTaskStatus.Completed, 100),
    ];

    private static TaskRow Row(string id, string type, string label, string? parent, BackgroundTaskStatus status, int percent, string? error = null) =>
        new(new TaskSummary
        {
            TaskId = id,
            OwnerThreadId = "lead",
            TaskType = type,
            Name = type == "sub_agent" ? label : null,
            Description = label,
            Status = status,
            Error = error,
            CreatedAt = Start,
            CompletedAt = status.IsTerminal() ? Start.AddSeconds(2.5) : null,
            ParentContext = parent is null ? TaskParentContext.None : new TaskParentContext { TaskId = parent },
        }, percent);
}
