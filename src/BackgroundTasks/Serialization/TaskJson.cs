using System.Buffers;
using System.Text;
using System.Text.Json;

namespace BackgroundTasks.Serialization;

/// <summary>
/// One-call helpers over the task wire formats for the rest of the library, such as a persistence layer that
/// stores one JSON text per task record.
/// </summary>
/// <remarks>
/// The formats need no <see cref="JsonSerializerOptions"/>: converters are attached to the types, so
/// <c>JsonSerializer.Serialize(summary)</c> with default options gives the same text. These helpers add what
/// <see cref="JsonSerializer"/> does not: the literal <c>null</c> and malformed text are errors whose message says so.
/// </remarks>
internal static class TaskJson
{
    private const string RecordSubject = "task record";
    private const string EventSubject = "task event";

    /// <summary>The compact JSON text of a task record.</summary>
    public static string Serialize(TaskSummary summary) => Write(summary, TaskSummaryJson.Write);

    /// <summary>The compact UTF-8 JSON of a task record.</summary>
    public static byte[] SerializeToUtf8Bytes(TaskSummary summary) => WriteBytes(summary, TaskSummaryJson.Write).WrittenSpan.ToArray();

    /// <summary>Reads a task record from JSON text.</summary>
    /// <exception cref="JsonException">The text is null JSON, malformed, or not a valid record; the message says which.</exception>
    public static TaskSummary DeserializeSummary(string json)
    {
        using JsonDocument document = Parse(json, RecordSubject);
        return TaskSummaryJson.Read(document.RootElement);
    }

    /// <summary>Reads a task record from UTF-8 JSON.</summary>
    /// <exception cref="JsonException">The text is null JSON, malformed, or not a valid record; the message says which.</exception>
    public static TaskSummary DeserializeSummary(ReadOnlyMemory<byte> utf8Json)
    {
        using JsonDocument document = Parse(utf8Json, RecordSubject);
        return TaskSummaryJson.Read(document.RootElement);
    }

    /// <summary>The compact JSON text of a task event.</summary>
    public static string Serialize(TaskEvent taskEvent) => Write(taskEvent, TaskEventJson.Write);

    /// <summary>Reads a task event from JSON text.</summary>
    /// <exception cref="JsonException">The text is null JSON, malformed, or not a valid event; the message says which.</exception>
    public static TaskEvent DeserializeEvent(string json)
    {
        using JsonDocument document = Parse(json, EventSubject);
        return TaskEventJson.Read(document.RootElement);
    }

    private static string Write<T>(T value, Action<Utf8JsonWriter, T> write) =>
        Encoding.UTF8.GetString(WriteBytes(value, write).WrittenSpan);

    private static ArrayBufferWriter<byte> WriteBytes<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, value);
        }

        return buffer;
    }

    private static JsonDocument Parse(string json, string subject) =>
        Checked(() => JsonDocument.Parse(json), subject);

    private static JsonDocument Parse(ReadOnlyMemory<byte> utf8Json, string subject) =>
        Checked(() => JsonDocument.Parse(utf8Json), subject);

    private static JsonDocument Checked(Func<JsonDocument> parse, string subject)
    {
        JsonDocument document;
        try
        {
            document = parse();
        }
        catch (JsonException ex)
        {
            throw new JsonException(Messages.NotValidJson(subject, ex.Message), ex);
        }

        if (document.RootElement.ValueKind == JsonValueKind.Null)
        {
            document.Dispose();
            throw new JsonException(Messages.LiteralNull(subject));
        }

        return document;
    }
}
