namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    private DeadlineQueue? _deadlines;

    /// <summary>The manager's one deadline queue, created with the first task that has a timeout.</summary>
    private DeadlineQueue Deadlines
    {
        get
        {
            if (Volatile.Read(ref _deadlines) is { } existing)
            {
                return existing;
            }

            var created = new DeadlineQueue(_timeProvider);
            if (Interlocked.CompareExchange(ref _deadlines, created, null) is { } raced)
            {
                created.Dispose();
                return raced;
            }

            return created;
        }
    }

    /// <summary>Deadlines queued now (attempts with a timeout that have not ended); for tests.</summary>
    internal int PendingDeadlines => Volatile.Read(ref _deadlines)?.Count ?? 0;

    private static bool HasAttemptControls(SpawnOptions options) =>
        options.Timeout is not null || options.HeartbeatTimeout is not null || options.Retry is not null;

    /// <summary>
    /// Starts attempt <paramref name="number"/> of a task with timeouts or retries (its body phase has begun) and returns
    /// the task that follows it: the retry decision, the delay, the next attempt, the end. Each later attempt writes its
    /// record (Attempt = n) before its body starts, from the loop's bookkeeping phase, where no abandonment can end the
    /// task underneath it. Never throws.
    /// </summary>
    private Task RunAttemptAsync(TaskRuntime runtime, int number)
    {
        var options = runtime.Options;
        if (options.Timeout is null && options.HeartbeatTimeout is null)
        {
            return FollowAttemptAsync(runtime, number, timed: null);
        }

        var deadlines = Deadlines;
        var attempt = new TaskAttempt(runtime, _timeProvider, deadlines);
        deadlines.Add(attempt, attempt.FirstDue);

        // Follow first, then call the body: a body that blocks its thread before its first await holds only its own
        // thread, not the attempt's end at its deadline.
        var following = FollowAttemptAsync(runtime, number, attempt);
        InvokeTimedBody(runtime, attempt);
        return following;
    }

    private async Task FollowAttemptAsync(TaskRuntime runtime, int number, TaskAttempt? timed)
    {
        AttemptOutcome outcome;
        if (timed is not null)
        {
            outcome = await timed.Outcome.ConfigureAwait(false);
            Deadlines.Remove(timed);
        }
        else
        {
            // Inline rather than a method of its own: one state machine fewer per attempt.
            try
            {
                var pending = runtime.InvokeBody();
                outcome = new AttemptOutcome(pending is null ? null : await pending.ConfigureAwait(false), null, TimedOut: false);
            }
            catch (Exception exception)
            {
                outcome = new AttemptOutcome(null, exception, TimedOut: false);
            }
        }

        if (!runtime.TryLeaveBody())
        {
            // Abandoned meanwhile. A timed-out body that returns later is reported by its own observer.
            if (!outcome.TimedOut)
            {
                _diagnostics.LateResultIgnored(runtime.Running, outcome);
            }

            return;
        }

        var policy = runtime.Options.Retry;
        var failure = outcome.AsFailure(runtime.CancellationToken.IsCancellationRequested);
        if (failure is null || policy is null || number >= policy.MaxAttempts
            || runtime.CancellationToken.IsCancellationRequested || !ShouldRetry(runtime, policy, failure))
        {
            await EndAsync(runtime, outcome).ConfigureAwait(false);
            return;
        }

        var delay = RetryDelays.For(policy, number, Random.Shared.NextDouble());
        if (!await WaitBeforeRetryAsync(runtime, number, failure.Error!, delay).ConfigureAwait(false))
        {
            // Cancelled during the delay: the task ends now, Cancelled, with the failed attempt's number.
            await EndAsync(runtime, AttemptOutcome.Cancelled).ConfigureAwait(false);
            return;
        }

        await WriteAttemptRecordAsync(runtime, number + 1).ConfigureAwait(false);
        runtime.StartNextAttempt();
        if (runtime.CancellationToken.IsCancellationRequested)
        {
            // Cancelled (maybe by an abandoner that saw the bookkeeping phase and left the end to this loop) just
            // as the attempt began: its body is not called.
            if (runtime.TryLeaveBody())
            {
                await EndAsync(runtime, AttemptOutcome.Cancelled).ConfigureAwait(false);
            }

            return;
        }

        // Started as a new work item on the manager's scheduler, as the first attempt was: not awaited, so a long chain of
        // attempts is not a chain of nested awaits, and never inline, so zero delays and bodies that fail at once do not
        // grow this thread's stack attempt by attempt.
        _ = Task.Factory.StartNew(
            static state =>
            {
                var (manager, runtime, next) = ((BackgroundTaskManager, TaskRuntime, int))state!;
                return manager.RunAttemptAsync(runtime, next);
            },
            (this, runtime, number + 1),
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            _taskScheduler);
    }

    /// <summary>Calls the body of a timed attempt and hands its end (or its throw) to the attempt.</summary>
    private void InvokeTimedBody(TaskRuntime runtime, TaskAttempt attempt)
    {
        AttemptOutcome outcome;
        try
        {
            var pending = runtime.InvokeBody(attempt);
            if (pending is { IsCompleted: false })
            {
                _ = ObserveBodyAsync(runtime, attempt, pending);
                return;
            }

            outcome = new AttemptOutcome(pending?.GetAwaiter().GetResult(), null, TimedOut: false);
        }
        catch (Exception exception)
        {
            outcome = new AttemptOutcome(null, exception, TimedOut: false);
        }

        // A body that blocked its thread past the deadline ends here, too late.
        if (!attempt.TryEnd(outcome, continueInline: true))
        {
            _diagnostics.LateResultIgnored(runtime.Running, outcome);
        }
    }

    /// <summary>Hands the body's end to its attempt; an end that comes after the deadline is logged and ignored.</summary>
    private async Task ObserveBodyAsync(TaskRuntime runtime, TaskAttempt attempt, Task<TaskResult> pending)
    {
        AttemptOutcome outcome;
        try
        {
            outcome = new AttemptOutcome(await pending.ConfigureAwait(false), null, TimedOut: false);
        }
        catch (Exception exception)
        {
            outcome = new AttemptOutcome(null, exception, TimedOut: false);
        }

        if (!attempt.TryEnd(outcome, continueInline: true))
        {
            _diagnostics.LateResultIgnored(runtime.Running, outcome);
        }
    }
}
