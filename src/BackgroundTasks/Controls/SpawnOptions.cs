namespace BackgroundTasks;

/// <summary>Per-spawn runtime controls: timeouts, retries and what happens when the parent task ends.</summary>
/// <remarks>
/// Each spawn method has an overload that takes these options just before the body; the overloads without it
/// mean <see cref="Default"/>, which sets no control at all and costs nothing. Options are validated at spawn.
/// </remarks>
public sealed record SpawnOptions
{
    /// <summary>No timeout, no retry, children abandoned when the parent ends: the behaviour of the plain overloads.</summary>
    public static SpawnOptions Default { get; } = new();

    /// <summary>
    /// How long one attempt may run, from the moment its body starts. When it passes, the task's token is cancelled
    /// and the attempt ends Failed with <c>timed out after {Timeout}</c>, whatever the body does next. Null: no limit.
    /// Must be positive.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The longest silence allowed between two signs of life of an attempt (its start, and each call of
    /// <c>Emit</c>, <c>ReportProgress</c> or <c>Heartbeat</c> on the task's context). When it passes, the attempt ends
    /// Failed with <c>heartbeat timed out after {HeartbeatTimeout}</c>. Null: no limit. Must be positive.
    /// </summary>
    public TimeSpan? HeartbeatTimeout { get; init; }

    /// <summary>How failed attempts are retried. Null (the default): a failed attempt is the task's end.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>What happens to this task, while live, when its parent task ends. Default: <see cref="ParentClosePolicy.Abandon"/>.</summary>
    public ParentClosePolicy ParentClosePolicy { get; init; } = ParentClosePolicy.Abandon;

    /// <summary>Whether these options ask for nothing beyond the plain behaviour, so the spawn path can skip every control.</summary>
    internal bool IsDefault =>
        Timeout is null && HeartbeatTimeout is null && Retry is null && ParentClosePolicy == ParentClosePolicy.Abandon;

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    internal void Validate()
    {
        if (Timeout is { } timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(Timeout));
        }

        if (HeartbeatTimeout is { } heartbeat)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(heartbeat, TimeSpan.Zero, nameof(HeartbeatTimeout));
        }

        if (!Enum.IsDefined(ParentClosePolicy))
        {
            throw new ArgumentOutOfRangeException(nameof(ParentClosePolicy), ParentClosePolicy, Messages.UndefinedValue(nameof(ParentClosePolicy)));
        }

        Retry?.Validate();
    }
}
