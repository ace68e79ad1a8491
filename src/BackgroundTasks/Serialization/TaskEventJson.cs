using System.Text.Json;

namespace BackgroundTasks.Serialization;

/// <summary>The wire format of <see cref="TaskEvent"/>: one JSON object tagged by "kind", with snake_case names.</summary>
/// <remarks>
/// <code>
/// {"kind":"completed","task_id":"bg_0","result":{...}}
/// {"kind":"failed","task_id":"bg_0","error":"boom"}
/// {"kind":"cancelled","task_id":"bg_0"}
/// {"kind":"custom","task_id":"bg_0","event_type":"progress","payload":{...}}
/// </code>
/// "kind" is always written first. "seq" (the event's <see cref="TaskEvent.Sequence"/>) is written last, and only
/// when it is not 0; reading takes a missing or null "seq" as 0. A completed event without a result omits "result" (a result holding JSON
/// null is omitted too); when reading, a missing "result" and <c>"result":null</c> both give a null Result.
/// Reading accepts the properties in any order and ignores unknown ones; task_id must be a non-empty string,
/// error and event_type strings, and payload any JSON value (JSON null included) but present.
/// </remarks>
internal static class TaskEventJson
{
    internal const string Kind = "kind";
    internal const string TaskId = "task_id";
    internal const string Result = "result";
    internal const string Error = "error";
    internal const string EventType = "event_type";
    internal const string Payload = "payload";
    internal const string Sequence = "seq";

    internal const string CompletedKind = "completed";
    internal const string FailedKind = "failed";
    internal const string CancelledKind = "cancelled";
    internal const string CustomKind = "custom";

    /// <summary>Writes <paramref name="taskEvent"/> as one JSON object.</summary>
    /// <exception cref="JsonException">The event is of a type this format does not know.</exception>
    public static void Write(Utf8JsonWriter writer, TaskEvent taskEvent)
    {
        writer.WriteStartObject();
        switch (taskEvent)
        {
            case TaskEvent.Completed completed:
                writer.WriteString(Kind, CompletedKind);
                writer.WriteString(TaskId, completed.TaskId);
                TaskSummaryJson.WriteOptionalValue(writer, Result, completed.Result);
                break;
            case TaskEvent.Failed failed:
                writer.WriteString(Kind, FailedKind);
                writer.WriteString(TaskId, failed.TaskId);
                writer.WriteString(Error, failed.Error);
                break;
            case TaskEvent.Cancelled cancelled:
                writer.WriteString(Kind, CancelledKind);
                writer.WriteString(TaskId, cancelled.TaskId);
                break;
            case TaskEvent.Custom custom:
                writer.WriteString(Kind, CustomKind);
                writer.WriteString(TaskId, custom.TaskId);
                writer.WriteString(EventType, custom.EventType);
                writer.WritePropertyName(Payload);

                if (custom.DeferredAgentMessage is { } message)
                {
                    // A message the manager sent: written from its strings, as its element would write itself.
                    message.WriteTo(writer);
                }
                else if (custom.Payload.ValueKind == JsonValueKind.Undefined)
                {
                    // default(JsonElement) cannot be written; the nearest honest JSON for "no payload" is null.
                    writer.WriteNullValue();
                }
                else
                {
                    custom.Payload.WriteTo(writer);
                }

                break;
            default:
                // TaskEvent's protected constructor lets other assemblies derive from it; such events have no wire format.
                throw new JsonException(Messages.UnknownEventType(taskEvent.GetType()));
        }

        if (taskEvent.Sequence != 0)
        {
            writer.WriteNumber(Sequence, taskEvent.Sequence);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads an event from a JSON value.</summary>
    /// <exception cref="JsonException">The value is not a valid event; the message names what is wrong.</exception>
    public static TaskEvent Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException(Messages.EventNotObject(element.ValueKind));
        }

        string kind = new JsonObjectReader(element, Messages.EventSubject(null, null)).RequiredString(Kind);
        if (kind is not (CompletedKind or FailedKind or CancelledKind or CustomKind))
        {
            throw new JsonException(Messages.UnknownEventKind(kind));
        }

        string taskId = new JsonObjectReader(element, Messages.EventSubject(kind, null)).RequiredString(TaskId, nonEmpty: true);
        var reader = new JsonObjectReader(element, Messages.EventSubject(kind, taskId));
        TaskEvent read = kind switch
        {
            CompletedKind => new TaskEvent.Completed(taskId, reader.OptionalValue(Result)),
            FailedKind => new TaskEvent.Failed(taskId, reader.RequiredString(Error)),
            CancelledKind => new TaskEvent.Cancelled(taskId),
            _ => new TaskEvent.Custom(taskId, reader.RequiredString(EventType), reader.RequiredValue(Payload)),
        };

        return reader.OptionalInt64(Sequence) is { } sequence and not 0 ? read with { Sequence = sequence } : read;
    }

    /// <summary>The wire kind of an event, or null for a type this format does not know.</summary>
    internal static string? KindOf(TaskEvent taskEvent) => taskEvent switch
    {
        TaskEvent.Completed => CompletedKind,
        TaskEvent.Failed => FailedKind,
        TaskEvent.Cancelled => CancelledKind,
        TaskEvent.Custom => CustomKind,
        _ => null,
    };
}
