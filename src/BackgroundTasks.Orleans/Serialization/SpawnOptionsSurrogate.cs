using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>A <see cref="SpawnOptions"/> on the wire.</summary>
[GenerateSerializer]
internal struct SpawnOptionsSurrogate
{
    [Id(0)]
    public TimeSpan? Timeout;

    [Id(1)]
    public TimeSpan? HeartbeatTimeout;

    [Id(2)]
    public RetryPolicy? Retry;

    [Id(3)]
    public int ParentClosePolicy;
}

/// <summary>Converts <see cref="SpawnOptions"/>; the default options arrive as <see cref="SpawnOptions.Default"/>.</summary>
[RegisterConverter]
internal sealed class SpawnOptionsSurrogateConverter : IConverter<SpawnOptions, SpawnOptionsSurrogate>
{
    public SpawnOptions ConvertFromSurrogate(in SpawnOptionsSurrogate surrogate)
    {
        var options = new SpawnOptions
        {
            Timeout = surrogate.Timeout,
            HeartbeatTimeout = surrogate.HeartbeatTimeout,
            Retry = surrogate.Retry,
            ParentClosePolicy = (ParentClosePolicy)surrogate.ParentClosePolicy,
        };
        return options == SpawnOptions.Default ? SpawnOptions.Default : options;
    }

    public SpawnOptionsSurrogate ConvertToSurrogate(in SpawnOptions value) => new()
    {
        Timeout = value.Timeout,
        HeartbeatTimeout = value.HeartbeatTimeout,
        Retry = value.Retry,
        ParentClosePolicy = (int)value.ParentClosePolicy,
    };
}
