namespace BackgroundTasks.Orleans;

/// <summary>The wait before a client retries a call that a lost silo or connection broke: 50 ms, doubling to 2 s.</summary>
internal struct ReconnectDelay
{
    private static readonly TimeSpan s_first = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(2);
    private TimeSpan _next;

    /// <summary>Back to the first delay: the last call got through.</summary>
    public void Reset() => _next = s_first;

    /// <summary>Waits the current delay, and doubles the next one.</summary>
    public Task WaitAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var delay = _next < s_first ? s_first : _next;
        _next = delay * 2 > s_max ? s_max : delay * 2;
        return Task.Delay(delay, timeProvider, cancellationToken);
    }
}
