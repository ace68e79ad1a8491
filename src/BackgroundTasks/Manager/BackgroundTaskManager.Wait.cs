namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>Waits until the first of several tasks has ended and returns its terminal record.</summary>
    /// <param name="taskIds">The tasks to wait for; at least one.</param>
    /// <param name="cancellationToken">Stops the wait (not the tasks).</param>
    /// <returns>
    /// The terminal record of the first task to end; when some have already ended, the first of those in the
    /// order given, at once.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskIds"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="taskIds"/> is empty or holds a null id.</exception>
    /// <exception cref="KeyNotFoundException">No task has one of the ids; the message names it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task<TaskSummary> WaitAnyAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken = default)
    {
        if (FirstTerminal(ValidateWaitIds(taskIds)) is { } ended)
        {
            return ended;
        }

        // One wait per task on a shared token, cancelled once the first has ended so the others let go at once.
        using var waits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new List<Task<TaskSummary>>(taskIds.Count);
        foreach (var taskId in taskIds)
        {
            pending.Add(WaitAsync(taskId, waits.Token));
        }

        var first = await Task.WhenAny(pending).ConfigureAwait(false);
        await waits.CancelAsync().ConfigureAwait(false);
        return await first.ConfigureAwait(false);
    }

    /// <summary>Waits until every one of several tasks has ended and returns their terminal records.</summary>
    /// <param name="taskIds">The tasks to wait for; at least one.</param>
    /// <param name="cancellationToken">Stops the wait (not the tasks).</param>
    /// <returns>The terminal records, in the order of <paramref name="taskIds"/> (an id given twice appears twice).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskIds"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="taskIds"/> is empty or holds a null id.</exception>
    /// <exception cref="KeyNotFoundException">No task has one of the ids; the message names it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task<IReadOnlyList<TaskSummary>> WaitAllAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken = default)
    {
        var ids = ValidateWaitIds(taskIds);
        var waits = new Task<TaskSummary>[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            waits[i] = WaitAsync(ids[i], cancellationToken);
        }

        return await Task.WhenAll(waits).ConfigureAwait(false);
    }

    /// <summary>Checks the ids, all of them known, before any wait begins; returns them as an array.</summary>
    private string[] ValidateWaitIds(IReadOnlyCollection<string> taskIds)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        if (taskIds.Count == 0)
        {
            throw new ArgumentException(Messages.NoTaskIds, nameof(taskIds));
        }

        var ids = taskIds.ToArray();
        foreach (var taskId in ids)
        {
            if (taskId is null)
            {
                throw new ArgumentException(Messages.NullTaskId, nameof(taskIds));
            }

            if (Find(taskId) is null)
            {
                throw new KeyNotFoundException(Messages.TaskNotFound(taskId));
            }
        }

        return ids;
    }

    private TaskSummary? FirstTerminal(string[] taskIds)
    {
        foreach (var taskId in taskIds)
        {
            // A live runtime means the terminal record is not final yet (its event may still be on its way).
            if (!_live.TryGetValue(taskId, out _) && Find(taskId) is { } summary && summary.Status.IsTerminal())
            {
                return summary;
            }
        }

        return null;
    }
}
