namespace BackgroundTasks.Tests.Telemetry;

/// <summary>One measurement a <see cref="MeasurementRecorder"/> saw.</summary>
internal sealed record RecordedMeasurement(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)
{
    public string? Tag(string key) => Tags.FirstOrDefault(tag => tag.Key == key).Value as string;
}
