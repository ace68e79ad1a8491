namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    // Task.WaitAsync takes at most 0xFFFFFFFE ms; a longer grace is, for every practical purpose, waiting for ever.
    private static readonly TimeSpan s_longestGrace = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>
    /// Signals cancellation to a task and waits up to <paramref name="grace"/> for its body to end; a body still running
    /// then is abandoned: the task is recorded Cancelled with the error
    /// <c>abandoned: did not stop within {grace} of cancellation</c>, its terminal event is sent, its name freed and its
    /// inbox closed, and whatever the body returns later is ignored (and logged).
    /// </summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="grace">How long the body may take to stop, on the manager's <see cref="TimeProvider"/>;
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="cancellationToken">Stops the wait (not the task, which stays signalled).</param>
    /// <returns>The terminal summary; null for an unknown id. A task already terminal returns at once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grace"/> is negative and not <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the task ended.</exception>
    /// <remarks>An abandoned task never changes its record again, whatever its body does.</remarks>
    public Task<TaskSummary?> CancelAndWaitAsync(string taskId, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        ValidateGrace(grace, nameof(grace));
        if (!_live.TryGetValue(taskId, out var runtime))
        {
            return Task.FromResult(Find(taskId));
        }

        Signal(runtime);
        return StopAsync(runtime, grace, cancellationToken);
    }

    /// <summary>Checks a grace period at a public entry point.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grace"/> is negative and not infinite.</exception>
    internal static void ValidateGrace(TimeSpan grace, string parameter)
    {
        if (grace < TimeSpan.Zero && grace != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(parameter, grace, Messages.NegativeGrace(parameter));
        }
    }

    private static bool IsUnbounded(TimeSpan grace) => grace == Timeout.InfiniteTimeSpan || grace > s_longestGrace;

    /// <summary>Waits for a signalled task to end, abandoning it once <paramref name="grace"/> has passed.</summary>
    private async Task<TaskSummary?> StopAsync(TaskRuntime runtime, TimeSpan grace, CancellationToken cancellationToken)
    {
        var terminal = runtime.Terminal;
        if (!terminal.IsCompleted && grace == TimeSpan.Zero)
        {
            await AbandonAsync(runtime, grace).ConfigureAwait(false);
        }
        else if (!terminal.IsCompleted && !IsUnbounded(grace))
        {
            try
            {
                return await terminal.WaitAsync(grace, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await AbandonAsync(runtime, grace).ConfigureAwait(false);
            }
        }

        return await terminal.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a task whose body did not stop in time. When the run loop is in its own bookkeeping (between attempts, or
    /// recording an end) it ends the task itself, soon: it was cancelled, so it starts no further attempt.
    /// </summary>
    private Task AbandonAsync(TaskRuntime runtime, TimeSpan grace)
    {
        if (!runtime.TryAbandon())
        {
            return Task.CompletedTask;
        }

        var terminal = runtime.Running with
        {
            Status = BackgroundTaskStatus.Cancelled,
            Error = Messages.Abandoned(grace),
            CompletedAt = _timeProvider.GetUtcNow(),
        };
        return FinishAsync(runtime, terminal, abandoned: true);
    }
}
