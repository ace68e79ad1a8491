using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>Where a <c>ConnectThread</c> observer is in a thread's change stream: the activation and its version.</summary>
/// <param name="Epoch">The activation whose versions <paramref name="Version"/> counts; null before the first batch.</param>
/// <param name="Version">The last version received from that activation.</param>
[GenerateSerializer, Immutable]
public readonly record struct ThreadCursor([property: Id(0)] string? Epoch, [property: Id(1)] long Version)
{
    /// <summary>No position yet: the stream starts with a snapshot.</summary>
    public static ThreadCursor None => default;
}
