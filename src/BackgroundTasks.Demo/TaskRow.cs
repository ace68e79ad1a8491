namespace BackgroundTasks.Demo;

/// <summary>What the views show of one task: its record from the store and its last reported progress.</summary>
internal sealed record TaskRow(TaskSummary Summary, int Percent)
{
    public string TaskId => Summary.TaskId;

    public string? ParentId => Summary.ParentContext.TaskId;

    public string Label => Summary.Name ?? Summary.Description;

    /// <summary>The task's duration so far, or in all once it has ended.</summary>
    public TimeSpan Elapsed(DateTimeOffset now) => (Summary.CompletedAt ?? now) - Summary.CreatedAt;
}
