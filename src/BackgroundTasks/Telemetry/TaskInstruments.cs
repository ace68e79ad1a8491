using System.Diagnostics.Metrics;

namespace BackgroundTasks;

/// <summary>The instruments of one <see cref="Meter"/> named <see cref="BackgroundTaskTelemetry.MeterName"/>.</summary>
/// <remarks>
/// Managers created without an <see cref="IMeterFactory"/> share <see cref="Shared"/>, a process-wide meter;
/// with a factory (as under a generic host) each gets the factory's meter, which the factory owns and disposes.
/// </remarks>
internal sealed class TaskInstruments
{
    private static readonly string? s_version = typeof(TaskInstruments).Assembly.GetName().Version?.ToString();

    private static readonly Lazy<TaskInstruments> s_shared =
        new(static () => new TaskInstruments(new Meter(BackgroundTaskTelemetry.MeterName, s_version)));

    private TaskInstruments(Meter meter)
    {
        Meter = meter;
        Spawned = meter.CreateCounter<long>(BackgroundTaskTelemetry.TasksSpawned, "{task}", "Tasks spawned.");
        Ended = meter.CreateCounter<long>(BackgroundTaskTelemetry.TasksEnded, "{task}", "Tasks that reached a terminal status.");
        Live = meter.CreateUpDownCounter<long>(BackgroundTaskTelemetry.TasksLive, "{task}", "Tasks whose body has not ended yet.");
        Duration = meter.CreateHistogram(BackgroundTaskTelemetry.TaskDuration, "s", "Time from spawn to terminal record.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800] });
        MessagesSent = meter.CreateCounter<long>(BackgroundTaskTelemetry.InboxMessagesSent, "{message}", "Messages delivered to sub-agent inboxes.");
        PersistenceFaults = meter.CreateCounter<long>(BackgroundTaskTelemetry.PersistenceFaults, "{fault}", "Store writes that failed.");
    }

    /// <summary>The instruments on the process-wide meter, created on first use.</summary>
    public static TaskInstruments Shared => s_shared.Value;

    public Meter Meter { get; }

    public Counter<long> Spawned { get; }

    public Counter<long> Ended { get; }

    public UpDownCounter<long> Live { get; }

    public Histogram<double> Duration { get; }

    public Counter<long> MessagesSent { get; }

    public Counter<long> PersistenceFaults { get; }

    /// <summary>The instruments for a manager: the factory's meter when there is a factory, else <see cref="Shared"/>.</summary>
    public static TaskInstruments For(IMeterFactory? factory) =>
        factory is null
            ? Shared
            : new TaskInstruments(factory.Create(new MeterOptions(BackgroundTaskTelemetry.MeterName) { Version = s_version }));
}
