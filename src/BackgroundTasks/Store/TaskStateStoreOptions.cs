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
    /// pruned. Held continuously: as a terminal record arrives, its owner's oldest terminal records beyond the
    /// limit leave the store in the same change set (a durable store deletes them from its persistence right
    /// after). Default: null, no limit. Must not be negative.
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

    /// <summary>
    /// How many times a store over a persistence lets the persistence refuse one record (fail to save it alone
    /// while it saves other records of the same attempt, as SQLite does with a result over its length limit)
    /// before it gives up on that version: it then saves in its place a small record of the task, Failed, with
    /// no result and an error saying that its record could not be stored and why. Default: 3. Must be positive.
    /// </summary>
    /// <remarks>
    /// A refused record never holds other records up: the rest of its batch is saved, and spawns go on. Failures
    /// of the whole persistence (every record fails, as when the disk is gone) are not refusals: those records
    /// are retried, with a growing delay, for as long as the store lives.
    /// </remarks>
    public int MaxRecordRefusals { get; init; } = 3;

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

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRecordRefusals, 1, nameof(MaxRecordRefusals));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, RetryDelay, nameof(MaxRetryDelay));
    }
}
