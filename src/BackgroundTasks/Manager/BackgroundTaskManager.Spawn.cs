using System.Diagnostics;
using System.Globalization;

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
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> or <paramref name="taskType"/> is empty, or <paramref name="name"/> is empty or whitespace.</exception>
    /// <exception cref="SpawnException">The spawn was refused; <see cref="SpawnException.Error"/> says why.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAsync(string ownerThreadId, string taskType, string? name, string description,
        TaskParentContext parentContext, Func<TaskContext, Task<TaskResult>> taskFn) =>
        SpawnAsync(ownerThreadId, taskType, name, description, parentContext, SpawnOptions.Default, taskFn);

    /// <summary>Spawns a tracked background task with runtime controls (timeouts, retries, parent-close policy).</summary>
    /// <param name="ownerThreadId">The thread that owns the task.</param>
    /// <param name="taskType">The kind of task, such as "fetch".</param>
    /// <param name="name">An optional name, unique among the owner thread's live tasks.</param>
    /// <param name="description">What the task does, for people.</param>
    /// <param name="parentContext">Lineage; null fields are filled from the running task body and the ambient <see cref="ToolLineage"/> scope.</param>
    /// <param name="options">The task's runtime controls; <see cref="SpawnOptions.Default"/> for none.</param>
    /// <param name="taskFn">The body. It runs on <see cref="BackgroundTaskManagerOptions.TaskScheduler"/>, never inline.</param>
    /// <returns>The new task's id, <c>bg_N</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> or <paramref name="taskType"/> is empty, or <paramref name="name"/> is empty or whitespace.</exception>
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
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty, or <paramref name="name"/> is empty or whitespace.</exception>
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
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty, or <paramref name="name"/> is empty or whitespace.</exception>
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
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty, or <paramref name="name"/> is empty or whitespace.</exception>
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
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty, or <paramref name="name"/> is empty or whitespace.</exception>
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

    private async Task<string> SpawnCoreAsync(string ownerThreadId, string taskType, string? name, string description,
        TaskParentContext parentContext, SpawnOptions options, Delegate body, bool isAgent)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (name is not null && TaskNames.IsReserved(name))
        {
            throw new SpawnException(SpawnError.ReservedName, Messages.ReservedName(name), name: name);
        }

        var store = Store ?? throw new SpawnException(SpawnError.StoreNotConfigured, Messages.StoreNotConfigured);
        var lineage = MergeLineage(parentContext);
        ThrowIfRunCancelled(lineage.RunId);

        var runtime = new TaskRuntime(this, name, body, new TaskEventChannel(_eventLogs.AttachTask(ownerThreadId), OwnerInboxFor(ownerThreadId)), isAgent)
        {
            Options = options,
        };

        // The name is claimed before an id is taken, so a refused name leaves no gap in bg_0, bg_1, ...
        if (name is not null && !_liveNames.TryAdd(new NameKey(ownerThreadId, name), runtime))
        {
            runtime.Events.Close();
            throw new SpawnException(SpawnError.DuplicateName, Messages.DuplicateName(name, ownerThreadId), name: name);
        }

        var taskId = FormatTaskId(Interlocked.Increment(ref _lastId));
        var now = _timeProvider.GetUtcNow();
        var running = new TaskSummary
        {
            TaskId = taskId,
            OwnerThreadId = ownerThreadId,
            TaskType = taskType,
            Name = name,
            Description = description,
            Status = BackgroundTaskStatus.Running,
            CreatedAt = now,
            ParentContext = lineage.IsEmpty ? TaskParentContext.None : lineage,
            StartedAt = now,
            Attempt = 1,
        };
        runtime.Activate(taskId, running);
        _live.Add(taskId, runtime, lineage.TaskId);

        // DisposeAsync marks first and then collects live tasks; registering first and checking after
        // means that either it sees this task or this spawn sees the mark. The full fence keeps the check
        // from being reordered before the registration (store-load reordering is allowed even on x64).
        Interlocked.MemoryBarrier();
        if (IsDisposed)
        {
            Abandon(runtime);
            throw new ObjectDisposedException(GetType().FullName);
        }

        try
        {
            await store.WriteAsync(running).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Abandon(runtime);
            _diagnostics.PersistenceFault(exception, "spawn", taskId);
            throw new SpawnException(SpawnError.State, Messages.StoreWriteFailed(taskId), innerException: exception);
        }

        // CancelDescendantsForRunAsync marks the run and then walks the store; a spawn whose record
        // reached the store after that walk sees the mark here and is cancelled before its body starts.
        Interlocked.MemoryBarrier();
        if (lineage.RunId is { } runId && _cancelledRuns.ContainsKey(runId))
        {
            runtime.RequestCancellation();
        }

        _diagnostics.Spawned(runtime);
        runtime.Start(_taskScheduler);
        return taskId;
    }

    /// <summary><c>bg_N</c> in one allocation (concatenation would allocate the number's string too).</summary>
    private static string FormatTaskId(long number)
    {
        var digits = 1;
        for (var rest = number; rest >= 10; rest /= 10)
        {
            digits++;
        }

        return string.Create(TaskIdPrefix.Length + digits, number, static (span, number) =>
        {
            TaskIdPrefix.CopyTo(span);
            var written = number.TryFormat(span[TaskIdPrefix.Length..], out var length, provider: CultureInfo.InvariantCulture);
            Debug.Assert(written && length == span.Length - TaskIdPrefix.Length);
        });
    }

    private void ThrowIfRunCancelled(string? runId)
    {
        if (runId is not null && _cancelledRuns.ContainsKey(runId))
        {
            throw new SpawnException(SpawnError.ParentRunCancelled, Messages.ParentRunCancelled(runId), runId: runId);
        }
    }

    /// <summary>
    /// Explicit fields win; then the ambient tool-call scope; then, inside a task body, the body's task
    /// becomes the parent and lends its RunId. The scope comes before the parent's RunId because a
    /// body that runs its own agent loop opens its own scope for its own run.
    /// </summary>
    private TaskParentContext MergeLineage(TaskParentContext given)
    {
        var merged = ToolLineage.Current is { } scope ? scope.Fill(given) : given;
        if (merged.TaskId is null && s_currentTaskId.Value is { } parentTaskId)
        {
            merged = merged with { TaskId = parentTaskId, RunId = merged.RunId ?? Find(parentTaskId)?.ParentContext.RunId };
        }

        return merged;
    }

    /// <summary>Undoes a spawn that could not be recorded: nothing of it stays behind.</summary>
    private void Abandon(TaskRuntime runtime)
    {
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
