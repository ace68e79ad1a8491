using BackgroundTasks.Caching;
using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>One change of a thread's store on the wire: why, and the record as it is now (the removed one for a Remove).</summary>
[GenerateSerializer, Immutable]
public sealed record TaskChange
{
    /// <summary>Creates a change.</summary>
    /// <param name="reason">Why the record changed.</param>
    /// <param name="current">The record after the change.</param>
    public TaskChange(ChangeReason reason, TaskSummary current)
    {
        ArgumentNullException.ThrowIfNull(current);
        ReasonCode = (int)reason;
        Current = current;
    }

    /// <summary>Why the record changed.</summary>
    public ChangeReason Reason => (ChangeReason)ReasonCode;

    /// <summary>The record after the change.</summary>
    [Id(1)]
    public TaskSummary Current { get; }

    // The core's enum carries no Orleans codec of its own; its number is stable (it is part of the contract).
    [Id(0)]
    internal int ReasonCode { get; }
}
