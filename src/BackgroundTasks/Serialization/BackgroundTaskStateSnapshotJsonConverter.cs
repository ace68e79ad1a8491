using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackgroundTasks.Serialization;

/// <summary>
/// Attached to <see cref="BackgroundTaskStateSnapshot"/> so that <see cref="JsonSerializer"/> agrees with
/// <see cref="BackgroundTaskStateSnapshot.ToJson"/> and <see cref="BackgroundTaskStateSnapshot.FromJson"/>.
/// </summary>
internal sealed class BackgroundTaskStateSnapshotJsonConverter : JsonConverter<BackgroundTaskStateSnapshot>
{
    public override BackgroundTaskStateSnapshot Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        return BackgroundTaskStateSnapshotJson.Read(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, BackgroundTaskStateSnapshot value, JsonSerializerOptions options) =>
        BackgroundTaskStateSnapshotJson.Write(writer, value);
}
