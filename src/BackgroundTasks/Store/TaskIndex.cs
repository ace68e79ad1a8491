namespace BackgroundTasks;

/// <summary>
/// Secondary indexes over the store's records so the manager's queries cost what they return:
/// tasks by owner thread, children by parent task, and root tasks (no parent task) by agent run.
/// </summary>
/// <remarks>
/// The owner and lineage of a record never change after it is added, so the indexes change only on
/// add and remove. Readers get a copy of the ids taken under the lock and look the records up
/// afterwards, so no reader ever holds this lock while it takes the cache's.
/// </remarks>
internal sealed class TaskIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<string>> _byOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _byParentTask = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _rootsByRun = new(StringComparer.Ordinal);

    /// <summary>
    /// Called with an owner thread whose last record was just removed, after this index's lock is released (the
    /// manager drops that thread's replay buffer). Runs inside the cache's edit: it must be quick and not call the store.
    /// </summary>
    public Action<string>? OwnerEmptied { get; set; }

    public void Add(TaskSummary summary)
    {
        lock (_lock)
        {
            Append(_byOwner, summary.OwnerThreadId, summary.TaskId);
            if (summary.ParentContext.TaskId is { } parentTaskId)
            {
                Append(_byParentTask, parentTaskId, summary.TaskId);
            }
            else if (summary.ParentContext.RunId is { } runId)
            {
                Append(_rootsByRun, runId, summary.TaskId);
            }
        }
    }

    public void Remove(TaskSummary summary)
    {
        bool ownerEmptied;
        lock (_lock)
        {
            ownerEmptied = Detach(_byOwner, summary.OwnerThreadId, summary.TaskId);
            if (summary.ParentContext.TaskId is { } parentTaskId)
            {
                Detach(_byParentTask, parentTaskId, summary.TaskId);
            }
            else if (summary.ParentContext.RunId is { } runId)
            {
                Detach(_rootsByRun, runId, summary.TaskId);
            }
        }

        if (ownerEmptied)
        {
            OwnerEmptied?.Invoke(summary.OwnerThreadId);
        }
    }

    /// <summary>Whether any record of <paramref name="ownerThreadId"/> is in the store.</summary>
    public bool HasOwner(string ownerThreadId)
    {
        lock (_lock)
        {
            return _byOwner.ContainsKey(ownerThreadId);
        }
    }

    public string[] TasksOfOwner(string ownerThreadId) => Read(_byOwner, ownerThreadId);

    public string[] ChildrenOf(string parentTaskId) => Read(_byParentTask, parentTaskId);

    public string[] RootsOfRun(string runId) => Read(_rootsByRun, runId);

    private string[] Read(Dictionary<string, List<string>> map, string key)
    {
        lock (_lock)
        {
            return map.TryGetValue(key, out var ids) ? [.. ids] : [];
        }
    }

    private static void Append(Dictionary<string, List<string>> map, string key, string taskId)
    {
        if (!map.TryGetValue(key, out var ids))
        {
            ids = [];
            map.Add(key, ids);
        }

        ids.Add(taskId);
    }

    /// <summary>Removes an id from its group; true when that emptied (and removed) the group.</summary>
    private static bool Detach(Dictionary<string, List<string>> map, string key, string taskId) =>
        map.TryGetValue(key, out var ids) && ids.Remove(taskId) && ids.Count == 0 && map.Remove(key);
}
