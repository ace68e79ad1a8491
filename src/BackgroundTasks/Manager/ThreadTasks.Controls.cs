namespace BackgroundTasks;

public sealed partial class ThreadTasks
{
    /// <summary>
    /// Signals cancellation to one of this thread's tasks and waits up to <paramref name="grace"/> for its body to end,
    /// then abandons it, as <see cref="BackgroundTaskManager.CancelAndWaitAsync"/> does.
    /// </summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="grace">How long the body may take to stop; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="cancellationToken">Stops the wait (not the task, which stays signalled).</param>
    /// <returns>The terminal summary; null when the task is unknown or another thread's. A task already terminal returns at once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grace"/> is negative and not <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the task ended.</exception>
    public Task<TaskSummary?> CancelAndWaitAsync(string taskId, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);

        // Checked before ownership, so another thread's id fails on bad input exactly as an unknown id does.
        BackgroundTaskManager.ValidateGrace(grace, nameof(grace));
        return _manager.FindOwned(taskId, OwnerThreadId) is null
            ? Task.FromResult<TaskSummary?>(null)
            : _manager.CancelAndWaitAsync(taskId, grace, cancellationToken);
    }

    /// <summary>One of this thread's tasks and its descendants of this thread: the root first, then the rest in spawn order.</summary>
    /// <param name="taskId">The root.</param>
    /// <returns>The records; empty when the root is unknown or another thread's.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    public async Task<IReadOnlyList<TaskSummary>> ListTreeAsync(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        if (_manager.FindOwned(taskId, OwnerThreadId) is null)
        {
            return [];
        }

        // Another thread's task below the root (from a restore, or spawned before cross-thread parents were refused)
        // is left out, so the view reveals nothing of it.
        var tree = await _manager.ListTreeAsync(taskId).ConfigureAwait(false);
        return [.. tree.Where(summary => summary.OwnerThreadId == OwnerThreadId)];
    }
}
