namespace BackgroundTasks.AI;

/// <summary>
/// What the tools need of one owner thread's <see cref="ThreadTasks"/> view, in the shapes the tools answer with.
/// </summary>
/// <remarks>
/// Every call goes through the view, so another thread's task is treated exactly like an unknown id; nothing here takes
/// an owner from the model.
/// </remarks>
internal sealed class ThreadScope(BackgroundTaskManager manager, ThreadTasks tasks)
{
    public Task<string> SpawnAgentAsync(string? name, string description, TaskParentContext parentContext, SpawnOptions options,
        Func<AgentTaskContext, Task<TaskResult>> body) =>
        tasks.SpawnAgentWithContextAsync(name, description, parentContext, options, body);

    public Task<TaskSummary?> GetAsync(string taskId) => tasks.GetAsync(taskId);

    public Task<IReadOnlyList<TaskSummary>> ListAsync() => tasks.ListAsync();

    /// <summary>How many live tasks were signalled: the task alone, or with <paramref name="tree"/> its subtree too.</summary>
    public async Task<int> CancelAsync(string taskId, bool tree) =>
        tree
            ? await tasks.CancelTreeAsync(taskId).ConfigureAwait(false)
            : await tasks.CancelAsync(taskId).ConfigureAwait(false) ? 1 : 0;

    /// <summary>
    /// Completes when any (or all) of <paramref name="taskIds"/> ended, or the wait was stopped; never faults.
    /// </summary>
    /// <remarks>
    /// The caller has checked that every id is this thread's, so the manager's WaitAnyAsync / WaitAllAsync serve
    /// (the view has no set waits). A record that went away meanwhile ends the wait too; the caller reads the
    /// records again afterwards, so that is only an early answer.
    /// </remarks>
    public async Task WaitAsync(IReadOnlyCollection<string> taskIds, bool any, CancellationToken cancellationToken)
    {
        try
        {
            if (any)
            {
                await manager.WaitAnyAsync(taskIds, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await manager.WaitAllAsync(taskIds, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or KeyNotFoundException)
        {
        }
    }

    /// <summary>This thread's live task with the id <paramref name="nameOrTaskId"/>, else the one with that name, or null.</summary>
    /// <remarks>Names are unique among a thread's live tasks, so a name finds at most one.</remarks>
    public async Task<string?> ResolveLiveAsync(string nameOrTaskId)
    {
        var live = (await ListAsync().ConfigureAwait(false)).Where(summary => !summary.Status.IsTerminal()).ToList();
        return (live.Find(summary => summary.TaskId == nameOrTaskId) ?? live.Find(summary => summary.Name == nameOrTaskId))?.TaskId;
    }

    public Task SendAsync(string taskId, string senderAgentId, string content) =>
        tasks.SendTaskInboxMessageAsync(taskId, senderAgentId, content);
}
