namespace BackgroundTasks.Hosting;

/// <summary>
/// Cuts the hosted manager's <see cref="BackgroundTaskManagerOptions.ShutdownGrace"/> from the host's
/// <c>HostOptions.ShutdownTimeout</c>, so that a host's stop fits in its timeout even when a body ignores
/// cancellation.
/// </summary>
/// <remarks>
/// The host's shutdown timeout covers every hosted service's stop, and ours does two things in it: the manager's
/// disposal (cancel, wait up to the grace, abandon the rest, which writes their Cancelled records) and then the
/// store's disposal, which flushes a durable store. The grace must end early enough for the flush, and for the
/// hosted services stopped after ours, to fit in what is left: a quarter of the timeout, at most
/// <see cref="MaxReserve"/> (a flush takes milliseconds; more than 5 s held back from a long timeout would only
/// cut short bodies that are still stopping). 2 s gives a grace of 1.5 s; the default 30 s gives 25 s.
/// </remarks>
internal static class ShutdownBudget
{
    /// <summary>The most held back from the shutdown timeout for the store's flush and the rest of the stop.</summary>
    public static readonly TimeSpan MaxReserve = TimeSpan.FromSeconds(5);

    /// <summary>The manager's grace for a host whose shutdown timeout is <paramref name="shutdownTimeout"/>.</summary>
    /// <param name="shutdownTimeout">The host's shutdown timeout; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever, and so does the grace.</param>
    /// <returns>The grace: never negative, infinite for an infinite timeout.</returns>
    public static TimeSpan GraceFor(TimeSpan shutdownTimeout)
    {
        if (shutdownTimeout == Timeout.InfiniteTimeSpan)
        {
            return Timeout.InfiniteTimeSpan;
        }

        if (shutdownTimeout <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var reserve = shutdownTimeout / 4;
        return shutdownTimeout - (reserve < MaxReserve ? reserve : MaxReserve);
    }
}
