using System.Text.Json;
using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>A <see cref="TaskEvent"/> of any kind on the wire: the core's JSON of it, tagged by "kind".</summary>
[GenerateSerializer]
internal struct TaskEventSurrogate
{
    [Id(0)]
    public string Json;

    public static TaskEventSurrogate From(TaskEvent value) => new() { Json = JsonSerializer.Serialize(value) };

    public readonly T To<T>()
        where T : TaskEvent =>
        JsonSerializer.Deserialize<TaskEvent>(Json) as T ?? throw new JsonException(OrleansMessages.NullOnWire(typeof(T).Name));
}

// Orleans picks a codec by an object's runtime type, so each concrete kind of event gets its converter.

/// <summary>Converts <see cref="TaskEvent.Completed"/>.</summary>
[RegisterConverter]
internal sealed class CompletedEventConverter : IConverter<TaskEvent.Completed, TaskEventSurrogate>
{
    public TaskEvent.Completed ConvertFromSurrogate(in TaskEventSurrogate surrogate) => surrogate.To<TaskEvent.Completed>();

    public TaskEventSurrogate ConvertToSurrogate(in TaskEvent.Completed value) => TaskEventSurrogate.From(value);
}

/// <summary>Converts <see cref="TaskEvent.Failed"/>.</summary>
[RegisterConverter]
internal sealed class FailedEventConverter : IConverter<TaskEvent.Failed, TaskEventSurrogate>
{
    public TaskEvent.Failed ConvertFromSurrogate(in TaskEventSurrogate surrogate) => surrogate.To<TaskEvent.Failed>();

    public TaskEventSurrogate ConvertToSurrogate(in TaskEvent.Failed value) => TaskEventSurrogate.From(value);
}

/// <summary>Converts <see cref="TaskEvent.Cancelled"/>.</summary>
[RegisterConverter]
internal sealed class CancelledEventConverter : IConverter<TaskEvent.Cancelled, TaskEventSurrogate>
{
    public TaskEvent.Cancelled ConvertFromSurrogate(in TaskEventSurrogate surrogate) => surrogate.To<TaskEvent.Cancelled>();

    public TaskEventSurrogate ConvertToSurrogate(in TaskEvent.Cancelled value) => TaskEventSurrogate.From(value);
}

/// <summary>Converts <see cref="TaskEvent.Custom"/>.</summary>
[RegisterConverter]
internal sealed class CustomEventConverter : IConverter<TaskEvent.Custom, TaskEventSurrogate>
{
    public TaskEvent.Custom ConvertFromSurrogate(in TaskEventSurrogate surrogate) => surrogate.To<TaskEvent.Custom>();

    public TaskEventSurrogate ConvertToSurrogate(in TaskEvent.Custom value) => TaskEventSurrogate.From(value);
}
