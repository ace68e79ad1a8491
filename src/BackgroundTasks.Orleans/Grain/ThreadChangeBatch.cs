using BackgroundTasks.Caching;
using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>One step of a thread's change stream, as <c>ConnectThread</c> receives it from the grain.</summary>
/// <remarks>
/// A snapshot batch holds every record of the thread as Adds (the receiver reconciles it with what it already
/// has); any other batch is one change set of the thread's store, numbered <see cref="Version"/> in its activation.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record ThreadChangeBatch
{
    /// <summary>The activation that numbered this batch.</summary>
    [Id(0)]
    public required string Epoch { get; init; }

    /// <summary>The version after this batch: 1, 2, 3 … per activation; a snapshot carries the version it reflects.</summary>
    [Id(1)]
    public long Version { get; init; }

    /// <summary>Whether this batch is a snapshot of every record rather than a change set.</summary>
    [Id(2)]
    public bool IsSnapshot { get; init; }

    /// <summary>The changes (a snapshot: one Add per record).</summary>
    [Id(3)]
    public required IReadOnlyList<TaskChange> Changes { get; init; }

    /// <summary>The cursor that resumes after this batch.</summary>
    public ThreadCursor Cursor => new(Epoch, Version);
}
