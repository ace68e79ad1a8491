using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackgroundTasks;

/// <summary>Options for a <see cref="BackgroundTaskManager"/>; copied when the manager is created.</summary>
public sealed class BackgroundTaskManagerOptions
{
    /// <summary>
    /// The clock for <see cref="TaskSummary.CreatedAt"/> and <see cref="TaskSummary.CompletedAt"/>.
    /// Defaults to <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where task bodies run. Defaults to <see cref="TaskScheduler.Default"/> (the thread pool).</summary>
    public TaskScheduler TaskScheduler { get; init; } = TaskScheduler.Default;

    /// <summary>
    /// Where the manager logs spawns, ends, cancellations, restores, orphans and faults (see
    /// <see cref="BackgroundTaskTelemetry"/>). Defaults to <see cref="NullLogger.Instance"/>.
    /// </summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// Creates the <see cref="BackgroundTaskTelemetry.MeterName"/> meter this manager reports to, as a generic
    /// host's <see cref="IMeterFactory"/> does. Defaults to null: a meter shared by every manager in the process.
    /// </summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>
    /// How many top-level tasks (tasks with no parent task) of one owner thread run at once; a spawn beyond that is
    /// recorded <see cref="BackgroundTaskStatus.Queued"/> and starts, in spawn order, when a running one ends.
    /// Tasks spawned with a parent task are never queued. Default: null, no limit. Must be at least 1.
    /// </summary>
    public int? MaxRunningPerOwner { get; init; }

    /// <summary>
    /// How many tasks of one owner thread may be Queued; a spawn that would queue one more fails with
    /// <see cref="SpawnError.QueueFull"/>. Default: null, no limit. Must be at least 1.
    /// </summary>
    public int? MaxQueuedPerOwner { get; init; }

    /// <summary>
    /// How long <see cref="BackgroundTaskManager.DisposeAsync"/> waits for cancelled bodies to end before it abandons
    /// them (their records become Cancelled). Default: 30 seconds. <see cref="Timeout.InfiniteTimeSpan"/> waits for
    /// ever; otherwise must not be negative.
    /// </summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many events of each owner thread the manager keeps so that
    /// <see cref="BackgroundTaskManager.ObserveEvents(string, long?)"/> can replay them after a reconnect. Default: 1024.
    /// 0 keeps none (every resume that is behind fails with <see cref="EventsExpiredException"/>). Must not be negative.
    /// </summary>
    /// <remarks>
    /// Memory is bounded by this times the number of threads that have records in the store; a thread whose records
    /// are all gone (retention) keeps none. The buffer of a thread grows with its events, up to this capacity. A retained
    /// completed event holds its result (and a custom one its payload): with large results, lower the capacity.
    /// </remarks>
    public int EventReplayCapacityPerOwner { get; init; } = 1024;

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    internal void Validate()
    {
        if (MaxRunningPerOwner is { } running)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(running, 1, nameof(MaxRunningPerOwner));
        }

        if (MaxQueuedPerOwner is { } queued)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(queued, 1, nameof(MaxQueuedPerOwner));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(EventReplayCapacityPerOwner, nameof(EventReplayCapacityPerOwner));

        if (ShutdownGrace != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownGrace, TimeSpan.Zero, nameof(ShutdownGrace));
        }
    }
}
