namespace BackgroundTasks;

/// <summary>How a task's failed attempts are retried.</summary>
/// <remarks>
/// A failed attempt (a Failed result, a throw, a timeout; never a cancellation that was requested) for which
/// <see cref="ShouldRetry"/> (if set) is true and attempts remain runs again after the delay of
/// <see cref="Backoff"/> (with <see cref="UseJitter"/>, a random 0-25 % added; then capped by <see cref="MaxDelay"/>).
/// Meanwhile the task stays Running with the same id, name and inbox, and a <c>"retrying"</c> custom event is sent.
/// </remarks>
public sealed record RetryPolicy
{
    /// <summary>Attempts in all, the first included. Default 3; must be at least 1.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The delay before the second attempt, the base of the backoff. Default one second; must not be negative.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How the delay grows from one retry to the next. Default <see cref="RetryBackoff.Exponential"/>.</summary>
    public RetryBackoff Backoff { get; init; } = RetryBackoff.Exponential;

    /// <summary>The longest delay between two attempts, jitter included. Null: no cap. Must not be negative.</summary>
    public TimeSpan? MaxDelay { get; init; }

    /// <summary>Whether a random 0-25 % is added to each delay, so many tasks failing together do not retry together.</summary>
    public bool UseJitter { get; init; }

    /// <summary>Decides from a failed attempt's outcome whether to retry it. Null: retry every failed attempt.</summary>
    public Func<TaskResult, bool>? ShouldRetry { get; init; }

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(Delay, TimeSpan.Zero, nameof(Delay));
        if (MaxDelay is { } maxDelay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero, nameof(MaxDelay));
        }

        if (!Enum.IsDefined(Backoff))
        {
            throw new ArgumentOutOfRangeException(nameof(Backoff), Backoff, Messages.UndefinedValue(nameof(Backoff)));
        }
    }
}
