namespace BackgroundTasks;

/// <summary>The delay before a retry, as <see cref="RetryPolicy"/> describes it.</summary>
/// <remarks>
/// Written here rather than taken from Polly: Polly's jitter is symmetric (±25 % for constant and linear backoff) or
/// decorrelated (exponential), while the contract adds 0-25 % and then caps; and Polly refuses base delays over a day.
/// </remarks>
internal static class RetryDelays
{
    private const double JitterFraction = 0.25;

    /// <summary>The delay before retry <paramref name="retry"/> (1 before the second attempt).</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="retry">The number of the attempt that failed, 1-based.</param>
    /// <param name="random">A uniform draw in [0, 1) for the jitter; unused without <see cref="RetryPolicy.UseJitter"/>.</param>
    public static TimeSpan For(RetryPolicy policy, int retry, double random)
    {
        var factor = policy.Backoff switch
        {
            RetryBackoff.Linear => retry,
            RetryBackoff.Exponential => Math.Pow(2, retry - 1),
            _ => 1d,
        };

        // In double ticks, so an exponential backoff saturates instead of overflowing.
        var ticks = policy.Delay.Ticks * factor;
        if (policy.UseJitter)
        {
            ticks += ticks * JitterFraction * random;
        }

        if (policy.MaxDelay is { } maxDelay && ticks > maxDelay.Ticks)
        {
            return maxDelay;
        }

        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }
}
