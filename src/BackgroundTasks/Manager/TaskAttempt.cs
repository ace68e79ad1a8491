using System.Diagnostics.CodeAnalysis;

namespace BackgroundTasks;

/// <summary>
/// One attempt of a task that has a <see cref="SpawnOptions.Timeout"/> or <see cref="SpawnOptions.HeartbeatTimeout"/>:
/// its token, its signs of life, and the race between the body's end and the deadline. Whichever comes first
/// (<see cref="TryEnd"/>) is the attempt's outcome and runs what follows it; the other is ignored.
/// </summary>
/// <remarks>
/// <para>
/// Nothing awaits the outcome: the winner of the race hands it to the manager directly (the body's end on the body's
/// thread, a deadline through the thread pool, since the timer's thread must go on waking other deadlines). So a timed
/// attempt costs this object and the body's continuation, and no state machine of its own.
/// </para>
/// <para>
/// A task with no retry policy has exactly one attempt, whose token is the task's own (a timeout cancels the task's
/// token, as the contract says); only a task that may retry gives each attempt a token source of its own, so that a
/// timed-out attempt's body keeps its cancelled token while the next attempt gets a fresh one.
/// </para>
/// <para>
/// Heartbeats do not touch the deadline queue: a sign of life only stores a timestamp, and when the queued deadline
/// fires the attempt re-checks that timestamp and queues itself again for the renewed deadline. So a body that calls
/// <c>Heartbeat</c> in a tight loop costs a timestamp read per call and one queue operation per heartbeat period.
/// </para>
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification =
    "The attempt's token source has no timer and no linked parents, so the GC reclaims it; disposing it would break "
    + "the token of a timed-out body still running.")]
internal sealed class TaskAttempt : DeadlineEntry, IThreadPoolWorkItem
{
    private readonly TaskRuntime _runtime;

    // Null when the attempt uses the task's own token (a task with no retry policy).
    private readonly CancellationTokenSource? _cancellation;

    // The task's flow, in which the follow-up runs (as it did when it was an async method awaiting the outcome).
    private readonly ExecutionContext? _flow;
    private readonly long _timeoutAt;
    private readonly long _heartbeatTicks;
    private long _lastSignOfLife;
    private Task? _whenCancelled;
    private int _over;
    private Task<TaskResult>? _pending;
    private AttemptOutcome _outcome;

    public TaskAttempt(TaskRuntime runtime, int number, DeadlineQueue deadlines)
    {
        _runtime = runtime;
        Number = number;
        var now = runtime.Manager.TimeProvider.GetTimestamp();
        var options = runtime.Options;
        _timeoutAt = options.Timeout is { } timeout ? now + deadlines.ToTimestampTicks(timeout) : long.MaxValue;
        _heartbeatTicks = options.HeartbeatTimeout is { } heartbeat ? deadlines.ToTimestampTicks(heartbeat) : 0;
        _lastSignOfLife = now;
        _flow = ExecutionContext.Capture();
        if (options.Retry is null)
        {
            return;
        }

        _cancellation = new CancellationTokenSource();

        // Not a linked token source (that would need disposing, which races with a timed-out body still reading its
        // token), nor a registration on the task's token: the task's cancellation reaches the current attempt directly.
        runtime.BindAttempt(this);
    }

    public TaskRuntime Runtime => _runtime;

    /// <summary>The attempt's number, 1-based.</summary>
    public int Number { get; }

    public CancellationToken Token => _cancellation?.Token ?? _runtime.CancellationToken;

    /// <summary>Whether the attempt has its outcome (the body ended or the deadline passed).</summary>
    public bool IsOver => Volatile.Read(ref _over) != 0;

    /// <summary>The first deadline: the run timeout or the first heartbeat deadline, whichever is earlier.</summary>
    public long FirstDue => NextDue(_lastSignOfLife);

    public void SignOfLife()
    {
        if (_heartbeatTicks != 0)
        {
            Volatile.Write(ref _lastSignOfLife, _runtime.Manager.TimeProvider.GetTimestamp());
        }
    }

    /// <summary>
    /// Ends the attempt with the body's <paramref name="outcome"/> and runs what follows it on this thread; an end that
    /// comes after the deadline is logged and ignored.
    /// </summary>
    public void EndWithBody(AttemptOutcome outcome)
    {
        if (!TryEnd(outcome))
        {
            _runtime.Manager.Diagnostics.LateResultIgnored(_runtime.Running, outcome);
            return;
        }

        FollowInFlow();
    }

    /// <summary>Hands the body's end to the attempt when it comes.</summary>
    /// <remarks>A continuation on the body's task rather than an async method: one delegate instead of a state machine box.</remarks>
    public void ObserveBody(Task<TaskResult> pending)
    {
        _pending = pending;
        pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnBodyCompleted);
    }

    public Task WhenCancelled() =>
        _cancellation is null ? _runtime.WhenCancelled() : CancellationSignal.WhenCancelled(ref _whenCancelled, Token);

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

    /// <summary>Cancels the attempt's own token when the task was cancelled (an attempt on the task's token needs nothing).</summary>
    public void CancelToken()
    {
        if (_cancellation is null)
        {
            return;
        }

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

    /// <summary>The follow-up of an attempt whose deadline passed, on the pool.</summary>
    void IThreadPoolWorkItem.Execute() => FollowInFlow();

    /// <summary>What follows the attempt's outcome, in the task's flow.</summary>
    private void FollowInFlow()
    {
        if (_flow is null)
        {
            Follow();
        }
        else
        {
            ExecutionContext.Run(_flow, static state => ((TaskAttempt)state!).Follow(), this);
        }
    }

    private void Follow() => _runtime.Manager.FollowTimedAttempt(this, _outcome);

    /// <summary>Claims the outcome; false when the attempt already has one.</summary>
    private bool TryEnd(AttemptOutcome outcome)
    {
        if (Interlocked.Exchange(ref _over, 1) != 0)
        {
            return false;
        }

        _outcome = outcome;
        return true;
    }

    private void OnBodyCompleted()
    {
        var pending = _pending!;
        _pending = null;
        AttemptOutcome outcome;
        try
        {
            outcome = new AttemptOutcome(pending.GetAwaiter().GetResult(), null, TimedOut: false);
        }
        catch (Exception exception)
        {
            outcome = new AttemptOutcome(null, exception, TimedOut: false);
        }

        EndWithBody(outcome);
    }

    private long NextDue(long lastSignOfLife) =>
        _heartbeatTicks == 0 ? _timeoutAt : Math.Min(_timeoutAt, lastSignOfLife + _heartbeatTicks);

    private void Expire(string error)
    {
        // The outcome first, then the token: whatever the body does once it sees the cancellation comes too late.
        if (!TryEnd(AttemptOutcome.Timeout(error)))
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        if (_cancellation is null)
        {
            _runtime.CancelOwnToken();
        }
        else
        {
            CancelToken();
        }
    }
}
