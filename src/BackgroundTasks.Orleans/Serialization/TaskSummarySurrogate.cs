using System.Text.Json;
using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>
/// A <see cref="TaskSummary"/> on the wire: the core's own JSON of it, so every field the core serializes (and every
/// field it adds later) crosses with the meaning the contract gives its JSON.
/// </summary>
[GenerateSerializer]
internal struct TaskSummarySurrogate
{
    [Id(0)]
    public string Json;
}

/// <summary>Converts <see cref="TaskSummary"/> for Orleans' serializer and copier.</summary>
[RegisterConverter]
internal sealed class TaskSummarySurrogateConverter : IConverter<TaskSummary, TaskSummarySurrogate>
{
    public TaskSummary ConvertFromSurrogate(in TaskSummarySurrogate surrogate) =>
        JsonSerializer.Deserialize<TaskSummary>(surrogate.Json) ?? throw new JsonException(OrleansMessages.NullOnWire(nameof(TaskSummary)));

    public TaskSummarySurrogate ConvertToSurrogate(in TaskSummary value) => new() { Json = JsonSerializer.Serialize(value) };
}
