using System.Text.Json;
using System.Text.Json.Serialization;
using BackgroundTasks.Serialization;

namespace BackgroundTasks;

/// <summary>Something that happened to a task; every event carries the id of the task it is about.</summary>
/// <param name="TaskId">The task the event is about.</param>
/// <remarks>
/// <para>
/// <see cref="JsonSerializer"/> reads and writes events as one JSON object tagged by "kind", with snake_case
/// names, whether the declared type is <see cref="TaskEvent"/> or one of its cases:
/// </para>
/// <code>
/// {"kind":"completed","task_id":"bg_0","result":{...}}
/// {"kind":"failed","task_id":"bg_0","error":"boom"}
/// {"kind":"cancelled","task_id":"bg_0"}
/// {"kind":"custom","task_id":"bg_0","event_type":"progress","payload":{...}}
/// </code>
/// <para>
/// A completed event whose result is null (or JSON null) is written without "result"; reading accepts a missing
/// "result" and <c>"result":null</c> alike as a null result. Property order is free when reading and unknown
/// properties are ignored. The names are fixed: a serializer naming policy does not change them. Invalid JSON
/// (an unknown kind, a missing or empty task_id, a missing error, event_type or payload) throws a
/// <see cref="JsonException"/> whose message names the problem; reading JSON as a case type whose kind differs
/// throws as well. Only the four nested cases have a wire format.
/// </para>
/// </remarks>
[JsonConverter(typeof(TaskEventJsonConverter<TaskEvent>))]
public abstract record TaskEvent(string TaskId)
{
    /// <summary>
    /// The event's number in its owner thread's stream: 1, 2, 3, ... in the order that thread's events are published,
    /// set by the manager on every event it publishes; 0 on an event built by hand. JSON <c>"seq"</c>, omitted when 0.
    /// </summary>
    /// <remarks>
    /// Pass the last number a client has seen to <see cref="BackgroundTaskManager.ObserveEvents(string, long?)"/> to
    /// resume that thread's events after a reconnect with no gap and no duplicate.
    /// </remarks>
    public long Sequence { get; init; }

    /// <summary>The task completed with an optional result value.</summary>
    /// <param name="TaskId">The task the event is about.</param>
    /// <param name="Result">The result value, if the body returned one.</param>
    [JsonConverter(typeof(TaskEventJsonConverter<Completed>))]
    public sealed record Completed(string TaskId, JsonElement? Result) : TaskEvent(TaskId);

    /// <summary>The task failed.</summary>
    /// <param name="TaskId">The task the event is about.</param>
    /// <param name="Error">What went wrong.</param>
    [JsonConverter(typeof(TaskEventJsonConverter<Failed>))]
    public sealed record Failed(string TaskId, string Error) : TaskEvent(TaskId);

    /// <summary>The task was cancelled.</summary>
    /// <param name="TaskId">The task the event is about.</param>
    [JsonConverter(typeof(TaskEventJsonConverter<Cancelled>))]
    public sealed record Cancelled(string TaskId) : TaskEvent(TaskId);

    /// <summary>A custom event: progress from a body, or a message to a sub-agent.</summary>
    /// <param name="TaskId">The task the event is about.</param>
    /// <param name="EventType">The kind of custom event, such as "progress" or "agent_message".</param>
    /// <param name="Payload">The event's JSON payload.</param>
    /// <remarks>
    /// Two events are equal when their task ids, sequences, event types and payloads are (a payload compares as a
    /// <see cref="JsonElement"/> does: the same element of the same document), as for any record.
    /// </remarks>
    [JsonConverter(typeof(TaskEventJsonConverter<Custom>))]
    public sealed record Custom(string TaskId, string EventType, JsonElement Payload) : TaskEvent(TaskId)
    {
        private readonly JsonElement _payload = Payload;

        // Set only by the manager's sends: the payload's strings, its element built on the first read of Payload.
        private readonly AgentMessagePayload? _deferred;

        /// <summary>An <c>agent_message</c> event whose payload is built from <paramref name="message"/> when first read.</summary>
        internal Custom(string taskId, AgentMessagePayload message)
            : this(taskId, AgentMessage.EventType, default(JsonElement))
        {
            _deferred = message;
        }

        /// <summary>The event's JSON payload.</summary>
        /// <remarks>
        /// The payload of a message sent by <see cref="BackgroundTaskManager.SendTaskInboxMessageAsync"/> is built on
        /// the first read (by this property, <see cref="object.ToString"/>, equality with an event that does not share
        /// it, or deconstruction): that read pays for writing and parsing the JSON, later reads return the same element,
        /// from any thread. <see cref="AgentMessage.TryParse"/> and the JSON serializer read such a message without
        /// building it.
        /// </remarks>
        public JsonElement Payload
        {
            get => _deferred is { } deferred ? deferred.Element : _payload;
            init
            {
                _payload = value;
                _deferred = null;
            }
        }

        /// <summary>The sender and content of a message the manager sent, while no one replaced its payload.</summary>
        internal AgentMessagePayload? DeferredAgentMessage => _deferred;

        /// <inheritdoc/>
        public bool Equals(Custom? other)
        {
            if (ReferenceEquals(this, other))
            {
                return true;
            }

            if (other is null || !base.Equals(other) || EventType != other.EventType)
            {
                return false;
            }

            // Copies made with `with` share the deferred payload, and so its element: equal without building it.
            // Two distinct deferred payloads would build two documents, which never compare equal.
            return (_deferred, other._deferred) switch
            {
                ({ } mine, { } theirs) => ReferenceEquals(mine, theirs),
                _ => EqualityComparer<JsonElement>.Default.Equals(Payload, other.Payload),
            };
        }

        /// <inheritdoc/>
        /// <remarks>The payload is left out, so hashing never builds one; equal events still hash alike.</remarks>
        public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), EventType);
    }
}
