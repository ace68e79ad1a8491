using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>One item of a thread's event stream on the wire: the activation that numbered it, and the event.</summary>
/// <remarks>The first item of every stream carries no event: it tells the reader which activation it reached.</remarks>
[GenerateSerializer, Immutable]
public sealed record ThreadEvent
{
    /// <summary>The activation whose per-thread <see cref="TaskEvent.Sequence"/> numbers <see cref="Event"/>.</summary>
    [Id(0)]
    public required string Epoch { get; init; }

    /// <summary>The event, or null on the stream's first item.</summary>
    [Id(1)]
    public TaskEvent? Event { get; init; }
}
