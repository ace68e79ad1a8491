using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>An <see cref="EventsExpiredException"/> on the wire, with the thread and the sequences it names.</summary>
[GenerateSerializer]
internal struct EventsExpiredExceptionSurrogate
{
    [Id(0)]
    public string OwnerThreadId;

    [Id(1)]
    public long RequestedAfter;

    [Id(2)]
    public long OldestRetained;
}

/// <summary>Converts <see cref="EventsExpiredException"/> (its message is rebuilt from the same values).</summary>
[RegisterConverter]
internal sealed class EventsExpiredExceptionSurrogateConverter : IConverter<EventsExpiredException, EventsExpiredExceptionSurrogate>
{
    public EventsExpiredException ConvertFromSurrogate(in EventsExpiredExceptionSurrogate surrogate) =>
        new(surrogate.OwnerThreadId, surrogate.RequestedAfter, surrogate.OldestRetained);

    public EventsExpiredExceptionSurrogate ConvertToSurrogate(in EventsExpiredException value) => new()
    {
        OwnerThreadId = value.OwnerThreadId,
        RequestedAfter = value.RequestedAfter,
        OldestRetained = value.OldestRetained,
    };
}
