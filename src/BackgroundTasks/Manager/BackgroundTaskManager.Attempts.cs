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
    /// Starts attempt <paramref name="number"/> of a task with timeouts or retries (its body phase has begun); what follows
    /// it (the retry decision, the delay, the next attempt, the end) runs when it ends. Each later attempt writes its
    /// record (Attempt = n) before its body starts, from the loop's bookkeeping phase, where no abandonment can end the
    /// task underneath it. Never throws.
    /// </summary>
    private void RunAttempt(TaskRuntime runtime, int number)
    {
        var options = runtime.Options;
        if (options.Timeout is null && options.HeartbeatTimeout is null)
        {
            _ = FollowUntimedAttemptAsync(runtime, number);
            return;
        }

        // The deadline is queued before the body is called: a body that blocks its thread before its first await holds
        // only its own thread, not the attempt's end at its deadline (which reaches the follow-up through the pool).
        var deadlines = Deadlines;
        var attempt = new TaskAttempt(runtime, number, deadlines);
        deadlines.Add(attempt, attempt.FirstDue);
        InvokeTimedBody(runtime, attempt);
    }

    /// <summary>An attempt with no deadline (a retry policy alone): the body, awaited, then what follows it.</summary>
    private async Task FollowUntimedAttemptAsync(TaskRuntime runtime, int number)
    {
        // Inline rather than a method of its own: one state machine fewer per attempt.
        AttemptOutcome outcome;
        try
        {
            var pending = runtime.InvokeBody();
            outcome = new AttemptOutcome(pending is null ? null : await pending.ConfigureAwait(false), null, TimedOut: false);
        }
        catch (Exception exception)
        {
            outcome = new AttemptOutcome(null, exception, TimedOut: false);
        }

        await FollowAttempt(runtime, number, outcome).ConfigureAwait(false);
    }

    /// <summary>What follows a timed attempt, run by whichever of the body's end and the deadline came first.</summary>
    internal void FollowTimedAttempt(TaskAttempt attempt, AttemptOutcome outcome)
    {
        // Out of the queue before the end is recorded: whoever sees the terminal record sees no deadline left behind.
        Deadlines.Remove(attempt);
        _ = FollowAttempt(attempt.Runtime, attempt.Number, outcome);
    }

    /// <summary>
    /// After attempt <paramref name="number"/> ended with <paramref name="outcome"/>: the task's end, or a retry. Not an
    /// async method: the common end (no retry) costs no state machine of its own.
    /// </summary>
    private Task FollowAttempt(TaskRuntime runtime, int number, AttemptOutcome outcome)
    {
        if (!runtime.TryLeaveBody())
        {
            // Abandoned meanwhile. A timed-out body that returns later is reported by its own attempt.
            if (!outcome.TimedOut)
            {
                _diagnostics.LateResultIgnored(runtime.Running, outcome);
            }

            return Task.CompletedTask;
        }

        var policy = runtime.Options.Retry;
        var failure = outcome.AsFailure(runtime.CancellationToken.IsCancellationRequested);
        if (failure is null || policy is null || number >= policy.MaxAttempts
            || runtime.CancellationToken.IsCancellationRequested || !ShouldRetry(runtime, policy, failure))
        {
            return EndAsync(runtime, outcome);
        }

        return RetryAsync(runtime, number, policy, failure);
    }

    /// <summary>The delay after failed attempt <paramref name="number"/>, then the next attempt (or the end, when cancelled meanwhile).</summary>
    private async Task RetryAsync(TaskRuntime runtime, int number, RetryPolicy policy, TaskResult failure)
    {
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
                manager.RunAttempt(runtime, next);
            },
            (this, runtime, number + 1),
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            _taskScheduler);
    }

    /// <summary>Calls the body of a timed attempt and hands its end (or its throw) to the attempt.</summary>
    private static void InvokeTimedBody(TaskRuntime runtime, TaskAttempt attempt)
    {
        AttemptOutcome outcome;
        try
        {
            var pending = runtime.InvokeBody(attempt);
            if (pending is { IsCompleted: false })
            {
                attempt.ObserveBody(pending);
                return;
            }

            outcome = new AttemptOutcome(pending?.GetAwaiter().GetResult(), null, TimedOut: false);
        }
        catch (Exception exception)
        {
            outcome = new AttemptOutcome(null, exception, TimedOut: false);
        }

        // A body that blocked its thread past the deadline ends here, too late (and is logged as such).
        attempt.EndWithBody(outcome);
    }
}
