using System.Buffers;
using System.Text.Json;

namespace BackgroundTasks;

/// <content>Between two attempts: the retry decision, the "retrying" event, the delay and the next attempt's record.</content>
public sealed partial class BackgroundTaskManager
{
    /// <summary>The custom event sent before a failed attempt is run again.</summary>
    internal const string RetryingEventType = "retrying";

    // Task.Delay and ITimer take at most 0xFFFFFFFE ms; a longer retry delay is waited out in such chunks.
    private static readonly TimeSpan s_longestDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

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
