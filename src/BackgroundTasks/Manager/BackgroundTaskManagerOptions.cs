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
}
