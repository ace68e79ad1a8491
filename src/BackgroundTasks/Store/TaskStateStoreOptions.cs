namespace BackgroundTasks;

/// <summary>How a <see cref="TaskStateStore"/> keeps, retries and forgets its records. Copied when the store is created.</summary>
/// <remarks>
/// With neither <see cref="RetainTerminalFor"/> nor <see cref="MaxTerminalPerOwner"/> set (the default) a
/// store keeps every record for as long as it lives. Running records are never removed by retention.
/// </remarks>
public sealed class TaskStateStoreOptions
{
    /// <summary>
    /// How long a terminal record is kept after its <see cref="TaskSummary.CompletedAt"/> (its
    /// <see cref="TaskSummary.CreatedAt"/> when that is missing); older ones are pruned. Default: null, kept
    /// forever. Must not be negative.
    /// </summary>
    public TimeSpan? RetainTerminalFor { get; init; }

    /// <summary>
    /// How many terminal records each owner thread keeps, the most recently completed ones; the rest are
    /// pruned. Default: null, no limit. Must not be negative.
    /// </summary>
    public int? MaxTerminalPerOwner { get; init; }

    /// <summary>
    /// How often the store prunes by itself while a retention limit is set (it also prunes when it opens).
    /// Default: one minute. <see cref="Timeout.InfiniteTimeSpan"/> turns automatic pruning off, leaving
    /// <see cref="TaskStateStore.PruneAsync"/>. Otherwise must be positive.
    /// </summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a store over a persistence waits before it retries a failed write the first time; each
    /// further failure doubles the wait, up to <see cref="MaxRetryDelay"/>. Default: 100 ms. Must be positive.
    /// </summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two retries of a failed write. Default: 30 seconds. Must not be less than <see cref="RetryDelay"/>.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for retention ages, orphaned records' completion time and retry waits. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Whether any retention limit is set.</summary>
    internal bool HasRetention => RetainTerminalFor is not null || MaxTerminalPerOwner is not null;

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is null.</exception>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        if (RetainTerminalFor is { } age)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(age, TimeSpan.Zero, nameof(RetainTerminalFor));
        }

        if (MaxTerminalPerOwner is { } count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(MaxTerminalPerOwner));
        }

        if (PruneInterval != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PruneInterval, TimeSpan.Zero, nameof(PruneInterval));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, RetryDelay, nameof(MaxRetryDelay));
    }
}
