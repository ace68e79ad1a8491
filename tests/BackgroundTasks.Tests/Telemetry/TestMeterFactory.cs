using System.Diagnostics.Metrics;

namespace BackgroundTasks.Tests.Telemetry;

/// <summary>
/// A meter factory of the test's own: its meters are new objects, so a listener that enables only their
/// instruments sees nothing of the managers other tests run in parallel.
/// </summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly Lock _lock = new();
    private readonly List<Meter> _meters = [];

    public IReadOnlyList<Meter> Meters
    {
        get
        {
            lock (_lock)
            {
                return [.. _meters];
            }
        }
    }

    public Meter Create(MeterOptions options)
    {
        options.Scope = this;
        var meter = new Meter(options);
        lock (_lock)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in Meters)
        {
            meter.Dispose();
        }
    }
}
