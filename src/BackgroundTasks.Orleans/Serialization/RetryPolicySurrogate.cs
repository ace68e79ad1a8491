using Orleans;

namespace BackgroundTasks.Orleans;

/// <summary>A <see cref="RetryPolicy"/> on the wire, without <see cref="RetryPolicy.ShouldRetry"/>: a delegate does not cross it.</summary>
[GenerateSerializer]
internal struct RetryPolicySurrogate
{
    [Id(0)]
    public int MaxAttempts;

    [Id(1)]
    public TimeSpan Delay;

    [Id(2)]
    public int Backoff;

    [Id(3)]
    public TimeSpan? MaxDelay;

    [Id(4)]
    public bool UseJitter;
}

/// <summary>Converts <see cref="RetryPolicy"/>, refusing one with a <see cref="RetryPolicy.ShouldRetry"/> predicate.</summary>
[RegisterConverter]
internal sealed class RetryPolicySurrogateConverter : IConverter<RetryPolicy, RetryPolicySurrogate>
{
    public RetryPolicy ConvertFromSurrogate(in RetryPolicySurrogate surrogate) => new()
    {
        MaxAttempts = surrogate.MaxAttempts,
        Delay = surrogate.Delay,
        Backoff = (RetryBackoff)surrogate.Backoff,
        MaxDelay = surrogate.MaxDelay,
        UseJitter = surrogate.UseJitter,
    };

    /// <exception cref="ArgumentException"><see cref="RetryPolicy.ShouldRetry"/> is set.</exception>
    public RetryPolicySurrogate ConvertToSurrogate(in RetryPolicy value)
    {
        if (value.ShouldRetry is not null)
        {
            throw new ArgumentException(OrleansMessages.ShouldRetryAcrossWire, nameof(value));
        }

        return new()
        {
            MaxAttempts = value.MaxAttempts,
            Delay = value.Delay,
            Backoff = (int)value.Backoff,
            MaxDelay = value.MaxDelay,
            UseJitter = value.UseJitter,
        };
    }
}
