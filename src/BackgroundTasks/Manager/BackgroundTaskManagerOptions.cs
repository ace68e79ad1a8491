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
}
