using System.Text.Json;
using System.Text.Json.Serialization;
using BackgroundTasks.Serialization;

namespace BackgroundTasks;

/// <summary>The record kept for every task, keyed by <see cref="TaskId"/> in the store. Each change is a new instance.</summary>
/// <remarks>
/// <para>
/// <see cref="JsonSerializer"/> reads and writes a summary as one snake_case JSON object, with any options:
/// <c>task_id</c>, <c>owner_thread_id</c>, <c>task_type</c>, <c>name</c> (omitted when null), <c>description</c>,
/// <c>status</c> ("running", "completed", "failed", "cancelled" or "queued"), <c>error</c> and <c>result</c> (each omitted
/// when null; a result holding JSON null is omitted too), <c>created_at_ms</c> and <c>completed_at_ms</c> (Unix
/// milliseconds as JSON numbers; completed_at_ms omitted when null), and <c>parent_context</c> (omitted when
/// empty; its <c>task_id</c>, <c>run_id</c>, <c>call_id</c> and <c>agent_id</c> each omitted when null),
/// <c>started_at_ms</c> (omitted when null), <c>attempt</c> (omitted when less than 2) and <c>progress</c>
/// (<c>{"fraction", "message"}</c>, each omitted when null; omitted when null).
/// </para>
/// <para>
/// Times are read back with a zero (UTC) offset and millisecond precision. Reading ignores unknown properties,
/// takes JSON null for an omitted optional property, and throws a <see cref="JsonException"/> whose message names
/// the property and the task for a missing or mistyped required property, an empty task_id or owner_thread_id,
/// an unknown status, or a time that is not a whole number.
/// </para>
/// <para>
/// Record equality compares <see cref="Result"/> as a <see cref="JsonElement"/>, that is by the document it
/// points into, not by its JSON content; compare results with <see cref="JsonElement.DeepEquals"/>. Times compare by
/// instant, as <see cref="DateTimeOffset"/> does, and each reads back with the offset it was set with.
/// </para>
/// </remarks>
[JsonConverter(typeof(TaskSummaryJsonConverter))]
public sealed partial record TaskSummary
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
    public JsonElement? Result
    {
        get => Has(Present.Result) ? _result : null;
        init
        {
            _result = value.GetValueOrDefault();
            Mark(Present.Result, value.HasValue);
        }
    }

    /// <summary>When the task was spawned.</summary>
    public DateTimeOffset CreatedAt
    {
        get => Unpack(_createdAtUtcTicks, _createdAtOffsetMinutes);
        init => (_createdAtUtcTicks, _createdAtOffsetMinutes) = Pack(value);
    }

    /// <summary>When the task reached its terminal status.</summary>
    public DateTimeOffset? CompletedAt
    {
        get => Has(Present.CompletedAt) ? Unpack(_completedAtUtcTicks, _completedAtOffsetMinutes) : null;
        init
        {
            (_completedAtUtcTicks, _completedAtOffsetMinutes) = Pack(value.GetValueOrDefault());
            Mark(Present.CompletedAt, value.HasValue);
        }
    }

    /// <summary>The task's lineage.</summary>
    public TaskParentContext ParentContext { get; init; } = TaskParentContext.None;

    /// <summary>When the body first started; null while the task is Queued. JSON <c>started_at_ms</c>, omitted when null.</summary>
    public DateTimeOffset? StartedAt
    {
        get => Has(Present.StartedAt) ? Unpack(_startedAtUtcTicks, _startedAtOffsetMinutes) : null;
        init
        {
            (_startedAtUtcTicks, _startedAtOffsetMinutes) = Pack(value.GetValueOrDefault());
            Mark(Present.StartedAt, value.HasValue);
        }
    }

    /// <summary>The current or last attempt, 1-based; 0 before the first start. JSON <c>attempt</c>, omitted when less than 2.</summary>
    public int Attempt { get; init; }

    /// <summary>
    /// The progress the body last reported with <see cref="TaskContext.ReportProgress"/>; null when it reported none.
    /// JSON <c>progress</c>, <c>{"fraction", "message"}</c> (each omitted when null), omitted when null.
    /// </summary>
    /// <remarks>A terminal record keeps the last progress, so a UI that attaches late shows where the task got to.</remarks>
    public TaskProgress? Progress { get; init; }
}
