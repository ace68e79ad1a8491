using System.Text.Json;
using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>A <see cref="JsonElement"/> on the wire: its raw JSON text, or null for an undefined element.</summary>
[GenerateSerializer]
internal struct JsonElementSurrogate
{
    [Id(0)]
    public string? Json;
}

/// <summary>Converts <see cref="JsonElement"/> for Orleans' serializer and copier.</summary>
[RegisterConverter]
internal sealed class JsonElementSurrogateConverter : IConverter<JsonElement, JsonElementSurrogate>
{
    public JsonElement ConvertFromSurrogate(in JsonElementSurrogate surrogate) =>
        surrogate.Json is null ? default : JsonSerializer.Deserialize<JsonElement>(surrogate.Json);

    public JsonElementSurrogate ConvertToSurrogate(in JsonElement value) =>
        new() { Json = value.ValueKind == JsonValueKind.Undefined ? null : value.GetRawText() };
}
