using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace BackgroundTasks.Tests.Telemetry;

/// <summary>Records, through a <see cref="MeterListener"/>, the measurements of the instruments a filter picks.</summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public MeasurementRecorder(Func<Instrument, bool> instruments, Func<RecordedMeasurement, bool>? keep = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instruments(instrument))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags, keep));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags, keep));
        _listener.Start();
    }

    /// <summary>Listens to the instruments of one meter object only.</summary>
    public static MeasurementRecorder For(Meter meter) => new(instrument => ReferenceEquals(instrument.Meter, meter));

    public IReadOnlyList<RecordedMeasurement> Of(string instrument) =>
        [.. _measurements.Where(measurement => measurement.Instrument == instrument)];

    /// <summary>The sum of an instrument's measurements whose tags include every given one.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) =>
        Of(instrument).Where(measurement => tags.All(tag => measurement.Tag(tag.Key) == tag.Value)).Sum(measurement => measurement.Value);

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, Func<RecordedMeasurement, bool>? keep)
    {
        var measurement = new RecordedMeasurement(instrument.Name, value, tags.ToArray());
        if (keep is null || keep(measurement))
        {
            _measurements.Enqueue(measurement);
        }
    }
}
