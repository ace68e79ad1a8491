namespace BackgroundTasks.AI;

/// <summary>
/// The manager as one owner thread sees it: another thread's task is treated exactly like an unknown id.
/// </summary>
/// <remarks>
/// Stands in for the core's <c>ThreadTasks</c> view (<c>BackgroundTaskManager.ForThread</c>) until it is in main; then
/// each member becomes a call on that view and this class goes.
/// </remarks>
internal sealed class ThreadScope(BackgroundTaskManager manager, string ownerThreadId)
{
    public string OwnerThreadId => ownerThreadId;

    public Task<string> SpawnAgentAsync(string? name, string description, TaskParentContext parentContext,
        Func<AgentTaskContext, Task<TaskResult>> body) =>
        manager.SpawnAgentWithContextAsync(ownerThreadId, name, description, parentContext, body);

    public async Task<TaskSummary?> GetAsync(string taskId) =>
        await manager.GetAsync(taskId).ConfigureAwait(false) is { } summary && summary.OwnerThreadId == ownerThreadId ? summary : null;

    public Task<IReadOnlyList<TaskSummary>> ListAsync() => manager.ListAsync(ownerThreadId);

    public async Task<int> CancelAsync(string taskId, bool tree)
    {
        if (await GetAsync(taskId).ConfigureAwait(false) is null)
        {
            return 0;
        }

        return tree
            ? await manager.CancelTreeAsync(taskId).ConfigureAwait(false)
            : await manager.CancelAsync(taskId).ConfigureAwait(false) ? 1 : 0;
    }

    /// <summary>The terminal record, or null when the wait was stopped or the record went away.</summary>
    public async Task<TaskSummary?> WaitAsync(string taskId, CancellationToken cancellationToken)
    {
        try
        {
            return await manager.WaitAsync(taskId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or KeyNotFoundException)
        {
            return null;
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
        manager.SendTaskInboxMessageAsync(taskId, ownerThreadId, senderAgentId, content);
}
