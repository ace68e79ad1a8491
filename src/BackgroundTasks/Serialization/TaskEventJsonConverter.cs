using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackgroundTasks.Serialization;

/// <summary>
/// Attached to <see cref="TaskEvent"/> and to each of its cases, so that <see cref="JsonSerializer"/> writes the
/// "kind"-tagged format of <see cref="TaskEventJson"/> whether the declared type is the base or a case.
/// </summary>
/// <typeparam name="TEvent">The declared type: <see cref="TaskEvent"/> or one of its nested cases.</typeparam>
/// <remarks>
/// A converter attribute is not inherited, hence one closed instantiation per case. Reading as a case type
/// requires the JSON's kind to match it.
/// </remarks>
internal sealed class TaskEventJsonConverter<TEvent> : JsonConverter<TEvent>
    where TEvent : TaskEvent
{
    public override TEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        TaskEvent taskEvent = TaskEventJson.Read(document.RootElement);
        return taskEvent as TEvent
            ?? throw new JsonException(Messages.EventKindMismatch(TaskEventJson.KindOf(taskEvent)!, typeof(TEvent)));
    }

    public override void Write(Utf8JsonWriter writer, TEvent value, JsonSerializerOptions options) =>
        TaskEventJson.Write(writer, value);
}
