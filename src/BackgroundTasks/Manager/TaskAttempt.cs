using System.Diagnostics.CodeAnalysis;
using System.Threading.Tasks.Sources;

namespace BackgroundTasks;

/// <summary>
/// One attempt of a task that has a <see cref="SpawnOptions.Timeout"/> or <see cref="SpawnOptions.HeartbeatTimeout"/>:
/// its own token (cancelled by the task's token or by its deadline), its signs of life, and the race between the
/// body's end and the deadline. Whichever comes first is the attempt's outcome; the other is ignored.
/// </summary>
/// <remarks>
/// Heartbeats do not touch the deadline queue: a sign of life only stores a timestamp, and when the queued deadline
/// fires the attempt re-checks that timestamp and queues itself again for the renewed deadline. So a body that calls
/// <c>Heartbeat</c> in a tight loop costs a timestamp read per call and one heap operation per heartbeat period.
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification =
    "The attempt's token source has no timer and no linked parents, so the GC reclaims it; disposing it would break "
    + "the token of a timed-out body still running.")]
internal sealed class TaskAttempt : DeadlineEntry, IValueTaskSource<AttemptOutcome>
{
    private readonly TaskRuntime _runtime;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly long _timeoutAt;
    private readonly long _heartbeatTicks;
    private long _lastSignOfLife;
    private Task? _whenCancelled;
    private int _over;

    // Not a TaskCompletionSource: the run loop awaits the outcome once, and the source decides per completion whether the
    // loop continues inline (the body ended: as on the plain path) or on the pool (the deadline fired on the timer's
    // thread, which must go on waking other deadlines).
    private ManualResetValueTaskSourceCore<AttemptOutcome> _outcome;

    public TaskAttempt(TaskRuntime runtime, TimeProvider timeProvider, DeadlineQueue deadlines)
    {
        _runtime = runtime;
        _timeProvider = timeProvider;
        var now = timeProvider.GetTimestamp();
        var options = runtime.Options;
        _timeoutAt = options.Timeout is { } timeout ? now + deadlines.ToTimestampTicks(timeout) : long.MaxValue;
        _heartbeatTicks = options.HeartbeatTimeout is { } heartbeat ? deadlines.ToTimestampTicks(heartbeat) : 0;
        _lastSignOfLife = now;
        Token = _cancellation.Token;

        // Not a linked token source (that would need disposing, which races with a timed-out body still reading its
        // token), nor a registration on the task's token: the task's cancellation reaches the current attempt directly.
        runtime.BindAttempt(this);
    }

    public CancellationToken Token { get; }

    /// <summary>Whether the attempt has its outcome (the body ended or the deadline passed).</summary>
    public bool IsOver => Volatile.Read(ref _over) != 0;

    /// <summary>The attempt's outcome, to be awaited once (by the run loop).</summary>
    public ValueTask<AttemptOutcome> Outcome => new(this, _outcome.Version);

    /// <summary>The first deadline: the run timeout or the first heartbeat deadline, whichever is earlier.</summary>
    public long FirstDue => NextDue(_lastSignOfLife);

    public void SignOfLife()
    {
        if (_heartbeatTicks != 0)
        {
            Volatile.Write(ref _lastSignOfLife, _timeProvider.GetTimestamp());
        }
    }

    /// <summary>Sets the outcome; false when the attempt already has one (its deadline passed first).</summary>
    /// <param name="outcome">How the attempt ended.</param>
    /// <param name="continueInline">Whether the run loop may continue on this thread.</param>
    public bool TryEnd(AttemptOutcome outcome, bool continueInline)
    {
        if (Interlocked.Exchange(ref _over, 1) != 0)
        {
            return false;
        }

        _outcome.RunContinuationsAsynchronously = !continueInline;
        _outcome.SetResult(outcome);
        return true;
    }

    AttemptOutcome IValueTaskSource<AttemptOutcome>.GetResult(short token) => _outcome.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<AttemptOutcome>.GetStatus(short token) => _outcome.GetStatus(token);

    void IValueTaskSource<AttemptOutcome>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _outcome.OnCompleted(continuation, state, token, flags);

    public Task WhenCancelled() => CancellationSignal.WhenCancelled(ref _whenCancelled, Token);

    internal override long OnDue(long now)
    {
        if (IsOver)
        {
            return -1;
        }

        if (now >= _timeoutAt)
        {
            Expire(Messages.TimedOut(_runtime.Options.Timeout!.Value));
            return -1;
        }

        var next = NextDue(Volatile.Read(ref _lastSignOfLife));
        if (now >= next)
        {
            Expire(Messages.HeartbeatTimedOut(_runtime.Options.HeartbeatTimeout!.Value));
            return -1;
        }

        return next;
    }

    private long NextDue(long lastSignOfLife) =>
        _heartbeatTicks == 0 ? _timeoutAt : Math.Min(_timeoutAt, lastSignOfLife + _heartbeatTicks);

    private void Expire(string error)
    {
        // The outcome first, then the token: whatever the body does once it sees the cancellation comes too late.
        if (TryEnd(AttemptOutcome.Timeout(error), continueInline: false))
        {
            CancelToken();
        }
    }

    /// <summary>Cancels the attempt's token: its deadline passed, or the task was cancelled.</summary>
    public void CancelToken()
    {
        try
        {
            // Token callbacks run here; no lock is held (the deadline queue wakes entries outside its lock).
            _cancellation.Cancel();
        }
        catch (AggregateException exception)
        {
            _runtime.Manager.Diagnostics.DeliveryFault(exception, _runtime.TaskId);
        }
    }
}
