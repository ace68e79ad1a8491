using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackgroundTasks.Serialization;

/// <summary>Writes <see cref="BackgroundTaskStatus"/> as its wire name ("running", ...) and reads it back.</summary>
/// <remarks>Attached to the enum so a status serialized on its own matches the one inside a task summary.</remarks>
internal sealed class BackgroundTaskStatusJsonConverter : JsonConverter<BackgroundTaskStatus>
{
    public override BackgroundTaskStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException(Messages.StatusNotString(KindOf(reader.TokenType)));
        }

        string value = reader.GetString()!;
        return BackgroundTaskStatusNames.TryParse(value, out BackgroundTaskStatus status)
            ? status
            : throw new JsonException(Messages.UnknownStatus(value));
    }

    public override void Write(Utf8JsonWriter writer, BackgroundTaskStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.AsString());

    private static JsonValueKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        JsonTokenType.Null => JsonValueKind.Null,
        _ => JsonValueKind.Undefined,
    };
}
