using System.Text.Json;

namespace BackgroundTasks;

/// <summary>Something that happened to a task; every event carries the id of the task it is about.</summary>
/// <param name="TaskId">The task the event is about.</param>
public abstract record TaskEvent(string TaskId)
{
    /// <summary>The task completed with an optional result value.</summary>
    /// <param name="TaskId">The task the event is about.</param>
    /// <param name="Result">The result value, if the body returned one.</param>
    public sealed record Completed(string TaskId, JsonElement? Result) : TaskEvent(TaskId);

    /// <summary>The task failed.</summary>
    /// <param name="TaskId">The task the event is about.</param>
    /// <param name="Error">What went wrong.</param>
    public sealed record Failed(string TaskId, string Error) : TaskEvent(TaskId);

    /// <summary>The task was cancelled.</summary>
    /// <param name="TaskId">The task the event is about.</param>
    public sealed record Cancelled(string TaskId) : TaskEvent(TaskId);

    /// <summary>A custom event: progress from a body, or a message to a sub-agent.</summary>
    /// <param name="TaskId">The task the event is about.</param>
    /// <param name="EventType">The kind of custom event, such as "progress" or "agent_message".</param>
    /// <param name="Payload">The event's JSON payload.</param>
    public sealed record Custom(string TaskId, string EventType, JsonElement Payload) : TaskEvent(TaskId);
}
