using System.Text.Json;

namespace BackgroundTasks;

/// <summary>The record kept for every task, keyed by <see cref="TaskId"/> in the store. Each change is a new instance.</summary>
public sealed record TaskSummary
{
    /// <summary>The task id, <c>bg_N</c>.</summary>
    public required string TaskId { get; init; }

    /// <summary>The thread that owns the task.</summary>
    public required string OwnerThreadId { get; init; }

    /// <summary>The kind of task, such as <c>sub_agent</c>.</summary>
    public required string TaskType { get; init; }

    /// <summary>The optional name, unique among the owner's running tasks.</summary>
    public string? Name { get; init; }

    /// <summary>What the task does, for people.</summary>
    public required string Description { get; init; }

    /// <summary>The current status.</summary>
    public BackgroundTaskStatus Status { get; init; }

    /// <summary>The error of a Failed task.</summary>
    public string? Error { get; init; }

    /// <summary>The result value of a Completed task.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>When the task was spawned.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the task reached its terminal status.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The task's lineage.</summary>
    public TaskParentContext ParentContext { get; init; } = TaskParentContext.None;
}
