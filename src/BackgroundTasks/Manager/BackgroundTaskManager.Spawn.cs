namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>Spawns a tracked background task and returns its id as soon as its Running record is in the store.</summary>
    /// <param name="ownerThreadId">The thread that owns the task.</param>
    /// <param name="taskType">The kind of task, such as "fetch".</param>
    /// <param name="name">An optional name, unique among the owner thread's running tasks.</param>
    /// <param name="description">What the task does, for people.</param>
    /// <param name="parentContext">Lineage; null fields are filled from the running task body and the ambient <see cref="ToolLineage"/> scope.</param>
    /// <param name="taskFn">The body. It runs on <see cref="BackgroundTaskManagerOptions.TaskScheduler"/>, never inline.</param>
    /// <returns>The new task's id, <c>bg_N</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> or <paramref name="taskType"/> is empty, or <paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="SpawnException">The spawn was refused; <see cref="SpawnException.Error"/> says why.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAsync(string ownerThreadId, string taskType, string? name, string description,
        TaskParentContext parentContext, Func<TaskContext, Task<TaskResult>> taskFn) =>
        SpawnAsync(ownerThreadId, taskType, name, description, parentContext, SpawnOptions.Default, taskFn);

    /// <summary>Spawns a tracked background task with runtime controls (timeouts, retries, parent-close policy).</summary>
    /// <remarks>
    /// Under <see cref="BackgroundTaskManagerOptions.MaxRunningPerOwner"/>, a top-level task beyond the limit is recorded
    /// <see cref="BackgroundTaskStatus.Queued"/> and its id returned as usual; it starts in spawn order as running tasks
    /// of the same owner end. This holds for every spawn method.
    /// </remarks>
    /// <param name="ownerThreadId">The thread that owns the task.</param>
    /// <param name="taskType">The kind of task, such as "fetch".</param>
    /// <param name="name">An optional name, unique among the owner thread's live tasks.</param>
    /// <param name="description">What the task does, for people.</param>
    /// <param name="parentContext">Lineage; null fields are filled from the running task body and the ambient <see cref="ToolLineage"/> scope.</param>
    /// <param name="options">The task's runtime controls; <see cref="SpawnOptions.Default"/> for none.</param>
    /// <param name="taskFn">The body. It runs on <see cref="BackgroundTaskManagerOptions.TaskScheduler"/>, never inline.</param>
    /// <returns>The new task's id, <c>bg_N</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> or <paramref name="taskType"/> is empty, or <paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value of <paramref name="options"/> is out of range.</exception>
    /// <exception cref="SpawnException">The spawn was refused; <see cref="SpawnException.Error"/> says why.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAsync(string ownerThreadId, string taskType, string? name, string description,
        TaskParentContext parentContext, SpawnOptions options, Func<TaskContext, Task<TaskResult>> taskFn)
    {
        ValidateSpawn(ownerThreadId, taskType, name, description, parentContext, options);
        ArgumentNullException.ThrowIfNull(taskFn);
        return SpawnCoreAsync(ownerThreadId, taskType, name, description, parentContext, options, taskFn, isAgent: false);
    }

    /// <summary>Spawns a sub-agent (task type <c>sub_agent</c>) whose body gets its own inbox.</summary>
    /// <param name="ownerThreadId">The thread that owns the task.</param>
    /// <param name="name">An optional name, unique among the owner thread's running tasks.</param>
    /// <param name="description">What the agent does, for people.</param>
    /// <param name="parentContext">Lineage, as for <see cref="SpawnAsync(string, string, string?, string, TaskParentContext, Func{TaskContext, Task{TaskResult}})"/>.</param>
    /// <param name="taskFn">The body: cancellation token, a sender into its own inbox, and the inbox. The inbox is closed when the body ends.</param>
    /// <returns>The new task's id.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty, or <paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="SpawnException">The spawn was refused.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAgentAsync(string ownerThreadId, string? name, string description,
        TaskParentContext parentContext, Func<CancellationToken, InboxSender, InboxReceiver, Task<TaskResult>> taskFn) =>
        SpawnAgentAsync(ownerThreadId, name, description, parentContext, SpawnOptions.Default, taskFn);

    /// <summary>Spawns a sub-agent (task type <c>sub_agent</c>) with runtime controls.</summary>
    /// <param name="ownerThreadId">The thread that owns the task.</param>
    /// <param name="name">An optional name, unique among the owner thread's live tasks.</param>
    /// <param name="description">What the agent does, for people.</param>
    /// <param name="parentContext">Lineage, as for <see cref="SpawnAsync(string, string, string?, string, TaskParentContext, Func{TaskContext, Task{TaskResult}})"/>.</param>
    /// <param name="options">The task's runtime controls; <see cref="SpawnOptions.Default"/> for none.</param>
    /// <param name="taskFn">The body: cancellation token, a sender into its own inbox, and the inbox. The inbox is closed when the task ends.</param>
    /// <returns>The new task's id.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty, or <paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value of <paramref name="options"/> is out of range.</exception>
    /// <exception cref="SpawnException">The spawn was refused.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAgentAsync(string ownerThreadId, string? name, string description,
        TaskParentContext parentContext, SpawnOptions options, Func<CancellationToken, InboxSender, InboxReceiver, Task<TaskResult>> taskFn)
    {
        ValidateSpawn(ownerThreadId, SubAgentTaskType, name, description, parentContext, options);
        ArgumentNullException.ThrowIfNull(taskFn);
        return SpawnCoreAsync(ownerThreadId, SubAgentTaskType, name, description, parentContext, options, taskFn, isAgent: true);
    }

    /// <summary>Spawns a sub-agent whose body gets an <see cref="AgentTaskContext"/>.</summary>
    /// <param name="ownerThreadId">The thread that owns the task.</param>
    /// <param name="name">An optional name, unique among the owner thread's running tasks.</param>
    /// <param name="description">What the agent does, for people.</param>
    /// <param name="parentContext">Lineage, as for <see cref="SpawnAsync(string, string, string?, string, TaskParentContext, Func{TaskContext, Task{TaskResult}})"/>.</param>
    /// <param name="taskFn">The body.</param>
    /// <returns>The new task's id.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty, or <paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="SpawnException">The spawn was refused.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAgentWithContextAsync(string ownerThreadId, string? name, string description,
        TaskParentContext parentContext, Func<AgentTaskContext, Task<TaskResult>> taskFn) =>
        SpawnAgentWithContextAsync(ownerThreadId, name, description, parentContext, SpawnOptions.Default, taskFn);

    /// <summary>Spawns a sub-agent whose body gets an <see cref="AgentTaskContext"/>, with runtime controls.</summary>
    /// <param name="ownerThreadId">The thread that owns the task.</param>
    /// <param name="name">An optional name, unique among the owner thread's live tasks.</param>
    /// <param name="description">What the agent does, for people.</param>
    /// <param name="parentContext">Lineage, as for <see cref="SpawnAsync(string, string, string?, string, TaskParentContext, Func{TaskContext, Task{TaskResult}})"/>.</param>
    /// <param name="options">The task's runtime controls; <see cref="SpawnOptions.Default"/> for none.</param>
    /// <param name="taskFn">The body.</param>
    /// <returns>The new task's id.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty, or <paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value of <paramref name="options"/> is out of range.</exception>
    /// <exception cref="SpawnException">The spawn was refused.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAgentWithContextAsync(string ownerThreadId, string? name, string description,
        TaskParentContext parentContext, SpawnOptions options, Func<AgentTaskContext, Task<TaskResult>> taskFn)
    {
        ValidateSpawn(ownerThreadId, SubAgentTaskType, name, description, parentContext, options);
        ArgumentNullException.ThrowIfNull(taskFn);
        return SpawnCoreAsync(ownerThreadId, SubAgentTaskType, name, description, parentContext, options, taskFn, isAgent: true);
    }

    private static void ValidateSpawn(string ownerThreadId, string taskType, string? name, string description, TaskParentContext parentContext,
        SpawnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentException.ThrowIfNullOrEmpty(ownerThreadId);
        ArgumentException.ThrowIfNullOrEmpty(taskType);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(parentContext);
        if (name is not null && string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException(Messages.WhitespaceName, nameof(name));
        }
    }

    private void ThrowIfRunCancelled(string? runId)
    {
        if (runId is not null && _live.IsRunCancelled(runId))
        {
            throw new SpawnException(SpawnError.ParentRunCancelled, Messages.ParentRunCancelled(runId), runId: runId);
        }
    }

    /// <summary>
    /// Explicit fields win; then the ambient tool-call scope; then, inside a task body, the body's task
    /// becomes the parent and lends its RunId. The scope comes before the parent's RunId because a
    /// body that runs its own agent loop opens its own scope for its own run.
    /// </summary>
    /// <remarks>
    /// A parent is always a task of the same thread: an explicit parent of another thread is refused (without
    /// saying whose it is), and the ambient parent applies only to spawns for the body's own thread, so a body
    /// that starts work for another thread gives it no parent task and no RunId of its own.
    /// </remarks>
    /// <exception cref="ArgumentException">The explicit parent task belongs to another thread.</exception>
    private TaskParentContext MergeLineage(string ownerThreadId, TaskParentContext parentContext)
    {
        if (parentContext.TaskId is { } explicitParent && Find(explicitParent) is { } parent && parent.OwnerThreadId != ownerThreadId)
        {
            throw new ArgumentException(Messages.CrossThreadParent(explicitParent), nameof(parentContext));
        }

        var merged = ToolLineage.Current is { } scope ? scope.Fill(parentContext) : parentContext;
        if (merged.TaskId is null && s_currentTaskId.Value is { } parentTaskId
            && Find(parentTaskId) is var ambient && (ambient is null || ambient.OwnerThreadId == ownerThreadId))
        {
            merged = merged with { TaskId = parentTaskId, RunId = merged.RunId ?? ambient?.ParentContext.RunId };
        }

        return merged;
    }

    /// <summary>Undoes a spawn that could not be recorded: nothing of it stays behind.</summary>
    private void Abandon(TaskRuntime runtime)
    {
        WithdrawAdmission(runtime);
        runtime.MarkEnded();
        ReleaseName(runtime);
        _live.Remove(runtime.TaskId, runtime);
        runtime.AgentInbox?.Receiver.Close();
        runtime.Events.Close();
        runtime.SetTerminal(null);
    }

    private void ReleaseName(TaskRuntime runtime)
    {
        if (runtime.Name is { } name)
        {
            _liveNames.TryRemove(new KeyValuePair<NameKey, TaskRuntime>(new NameKey(runtime.Running.OwnerThreadId, name), runtime));
        }
    }
}
