using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackgroundTasks.Serialization;

/// <summary>
/// Attached to <see cref="TaskSummary"/> so that <see cref="JsonSerializer"/> with any options (default ones
/// included) reads and writes the wire format of <see cref="TaskSummaryJson"/>.
/// </summary>
internal sealed class TaskSummaryJsonConverter : JsonConverter<TaskSummary>
{
    public override TaskSummary Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        return TaskSummaryJson.Read(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, TaskSummary value, JsonSerializerOptions options) =>
        TaskSummaryJson.Write(writer, value);
}
