namespace BackgroundTasks;

/// <summary>The optional lineage of a task: which task, agent run, tool call and agent created it.</summary>
public sealed record TaskParentContext
{
    /// <summary>The parent background task, if any.</summary>
    public string? TaskId { get; init; }

    /// <summary>The parent agent run, if any.</summary>
    public string? RunId { get; init; }

    /// <summary>The tool call that created the task, if any.</summary>
    public string? CallId { get; init; }

    /// <summary>The agent that created the task, if any.</summary>
    public string? AgentId { get; init; }

    /// <summary>Whether every field is null.</summary>
    public bool IsEmpty => TaskId is null && RunId is null && CallId is null && AgentId is null;

    /// <summary>The empty lineage.</summary>
    public static TaskParentContext None { get; } = new();
}
