namespace BackgroundTasks;

/// <summary>
/// Secondary indexes over the store's records so the manager's queries cost what they return:
/// tasks by owner thread, children by parent task, and root tasks (no parent task) by agent run.
/// </summary>
/// <remarks>
/// The owner and lineage of a record never change after it is added, so the indexes change only on
/// add and remove; both cost O(1) (amortized), so retention removing an owner's oldest records one by one
/// stays linear. Readers get a copy of the ids (in the order they were added) taken under the lock and look
/// the records up afterwards, so no reader ever holds this lock while it takes the cache's.
/// </remarks>
internal sealed class TaskIndex
{
    private readonly Lock _lock = new();
    private readonly IdGroups _byOwner = new();
    private readonly IdGroups _byParentTask = new();
    private readonly IdGroups _rootsByRun = new();

    /// <summary>
    /// Called with an owner thread whose last record was just removed, after this index's lock is released (the
    /// manager drops that thread's replay buffer). Runs inside the cache's edit: it must be quick and not call the store.
    /// </summary>
    public Action<string>? OwnerEmptied { get; set; }

    public void Add(TaskSummary summary)
    {
        lock (_lock)
        {
            _byOwner.Add(summary.OwnerThreadId, summary.TaskId);
            if (summary.ParentContext.TaskId is { } parentTaskId)
            {
                _byParentTask.Add(parentTaskId, summary.TaskId);
            }
            else if (summary.ParentContext.RunId is { } runId)
            {
                _rootsByRun.Add(runId, summary.TaskId);
            }
        }
    }

    public void Remove(TaskSummary summary)
    {
        bool ownerEmptied;
        lock (_lock)
        {
            ownerEmptied = _byOwner.Remove(summary.OwnerThreadId, summary.TaskId);
            if (summary.ParentContext.TaskId is { } parentTaskId)
            {
                _byParentTask.Remove(parentTaskId, summary.TaskId);
            }
            else if (summary.ParentContext.RunId is { } runId)
            {
                _rootsByRun.Remove(runId, summary.TaskId);
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
            return _byOwner.Contains(ownerThreadId);
        }
    }

    public string[] TasksOfOwner(string ownerThreadId) => Read(_byOwner, ownerThreadId);

    public string[] ChildrenOf(string parentTaskId) => Read(_byParentTask, parentTaskId);

    public string[] RootsOfRun(string runId) => Read(_rootsByRun, runId);

    private string[] Read(IdGroups groups, string key)
    {
        lock (_lock)
        {
            return groups.Read(key);
        }
    }
}
