using System.Buffers;
using System.Text.Json;

namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>The custom event sent before a failed attempt is run again.</summary>
    internal const string RetryingEventType = "retrying";

    // Task.Delay and ITimer take at most 0xFFFFFFFE ms; a longer retry delay is waited out in such chunks.
    private static readonly TimeSpan s_longestDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

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
    /// The attempts of a task with timeouts or retries. The first attempt's body phase has begun; each later attempt
    /// writes its record (Attempt = n) before its body starts, from the loop's bookkeeping phase, where no abandonment
    /// can end the task underneath it.
    /// </summary>
    private async Task RunAttemptsAsync(TaskRuntime runtime)
    {
        var options = runtime.Options;
        var policy = options.Retry;
        var timed = options.Timeout is not null || options.HeartbeatTimeout is not null;
        for (var attempt = 1; ; attempt++)
        {
            // A timed attempt is awaited here rather than in a method of its own: one state machine fewer per attempt.
            AttemptOutcome outcome;
            if (timed)
            {
                var deadlines = Deadlines;
                var timedAttempt = StartTimedAttempt(runtime, deadlines);
                outcome = await timedAttempt.Outcome.ConfigureAwait(false);
                deadlines.Remove(timedAttempt);
            }
            else
            {
                outcome = await RunPlainAttemptAsync(runtime).ConfigureAwait(false);
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

            var failure = outcome.AsFailure(runtime.CancellationToken.IsCancellationRequested);
            if (failure is null || policy is null || attempt >= policy.MaxAttempts
                || runtime.CancellationToken.IsCancellationRequested || !ShouldRetry(runtime, policy, failure))
            {
                await EndAsync(runtime, outcome).ConfigureAwait(false);
                return;
            }

            var delay = RetryDelays.For(policy, attempt, Random.Shared.NextDouble());
            if (!await WaitBeforeRetryAsync(runtime, attempt, failure.Error!, delay).ConfigureAwait(false))
            {
                // Cancelled during the delay: the task ends now, Cancelled, with the failed attempt's number.
                await EndAsync(runtime, AttemptOutcome.Cancelled).ConfigureAwait(false);
                return;
            }

            await WriteAttemptRecordAsync(runtime, attempt + 1).ConfigureAwait(false);
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
        }
    }

    private static async Task<AttemptOutcome> RunPlainAttemptAsync(TaskRuntime runtime)
    {
        try
        {
            var pending = runtime.InvokeBody();
            return new AttemptOutcome(pending is null ? null : await pending.ConfigureAwait(false), null, TimedOut: false);
        }
        catch (Exception exception)
        {
            return new AttemptOutcome(null, exception, TimedOut: false);
        }
    }

    /// <summary>Starts one attempt against its deadline: its outcome is the body's end or the deadline, whichever comes first.</summary>
    private TaskAttempt StartTimedAttempt(TaskRuntime runtime, DeadlineQueue deadlines)
    {
        var attempt = new TaskAttempt(runtime, _timeProvider, deadlines);
        deadlines.Add(attempt, attempt.FirstDue);
        try
        {
            var pending = runtime.InvokeBody(attempt);
            if (pending is null)
            {
                attempt.TryEnd(new AttemptOutcome(null, null, TimedOut: false));
            }
            else if (pending.IsCompletedSuccessfully)
            {
                attempt.TryEnd(new AttemptOutcome(pending.Result, null, TimedOut: false));
            }
            else
            {
                _ = ObserveBodyAsync(runtime, attempt, pending);
            }
        }
        catch (Exception exception)
        {
            attempt.TryEnd(new AttemptOutcome(null, exception, TimedOut: false));
        }

        return attempt;
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

        if (!attempt.TryEnd(outcome))
        {
            _diagnostics.LateResultIgnored(runtime.Running, outcome);
        }
    }

    /// <summary>Asks the policy's <see cref="RetryPolicy.ShouldRetry"/>; one that throws means no retry (and is logged).</summary>
    private bool ShouldRetry(TaskRuntime runtime, RetryPolicy policy, TaskResult failure)
    {
        if (policy.ShouldRetry is not { } shouldRetry)
        {
            return true;
        }

        try
        {
            return shouldRetry(failure);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _diagnostics.DeliveryFault(exception, runtime.TaskId);
            return false;
        }
    }

    /// <summary>Sends the "retrying" event and waits out the delay; false when the task was cancelled meanwhile.</summary>
    private async Task<bool> WaitBeforeRetryAsync(TaskRuntime runtime, int failedAttempt, string error, TimeSpan delay)
    {
        // The delay's timer exists before the event goes out, so whoever reacts to "retrying" by moving a
        // virtual clock moves it past a timer that is already there.
        var wait = DelayAsync(delay, runtime.CancellationToken);
        _diagnostics.Retrying(runtime.Running, failedAttempt, error, delay);
        runtime.Events.Publish(new TaskEvent.Custom(runtime.TaskId, RetryingEventType, RetryingPayload(failedAttempt, error, delay)));
        try
        {
            await wait.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        for (var left = delay; left > TimeSpan.Zero; left -= s_longestDelay)
        {
            await Task.Delay(left < s_longestDelay ? left : s_longestDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task WriteAttemptRecordAsync(TaskRuntime runtime, int attempt)
    {
        try
        {
            await Store!.WriteAsync(runtime.BeginAttempt(attempt)).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The attempt runs anyway: its end is what must be recorded, and the terminal write reports its own failure.
            _diagnostics.PersistenceFault(exception, "attempt", runtime.TaskId);
        }
    }

    /// <summary><c>{"attempt": n, "error": "...", "delay_ms": d}</c>.</summary>
    private static JsonElement RetryingPayload(int failedAttempt, string error, TimeSpan delay)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("attempt", failedAttempt);
            writer.WriteString("error", error);
            writer.WriteNumber("delay_ms", (long)delay.TotalMilliseconds);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
