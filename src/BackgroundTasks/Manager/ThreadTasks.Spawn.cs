namespace BackgroundTasks;

public sealed partial class ThreadTasks
{
    /// <summary>Spawns a tracked background task owned by this thread; see <see cref="BackgroundTaskManager.SpawnAsync(string, string, string?, string, TaskParentContext, Func{TaskContext, Task{TaskResult}})"/>.</summary>
    /// <param name="taskType">The kind of task, such as "fetch".</param>
    /// <param name="name">An optional name, unique among this thread's running tasks.</param>
    /// <param name="description">What the task does, for people.</param>
    /// <param name="parentContext">Lineage; a parent task must be one of this thread's.</param>
    /// <param name="taskFn">The body.</param>
    /// <returns>The new task's id.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="taskType"/> is empty, <paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="SpawnException">The spawn was refused; <see cref="SpawnException.Error"/> says why.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAsync(string taskType, string? name, string description,
        TaskParentContext parentContext, Func<TaskContext, Task<TaskResult>> taskFn) =>
        _manager.SpawnAsync(OwnerThreadId, taskType, name, description, parentContext, taskFn);

    /// <summary>Spawns a sub-agent owned by this thread; see <see cref="BackgroundTaskManager.SpawnAgentAsync(string, string?, string, TaskParentContext, Func{CancellationToken, InboxSender, InboxReceiver, Task{TaskResult}})"/>.</summary>
    /// <param name="name">An optional name, unique among this thread's running tasks.</param>
    /// <param name="description">What the agent does, for people.</param>
    /// <param name="parentContext">Lineage; a parent task must be one of this thread's.</param>
    /// <param name="taskFn">The body: cancellation token, a sender into its own inbox, and the inbox.</param>
    /// <returns>The new task's id.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="SpawnException">The spawn was refused.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAgentAsync(string? name, string description,
        TaskParentContext parentContext, Func<CancellationToken, InboxSender, InboxReceiver, Task<TaskResult>> taskFn) =>
        _manager.SpawnAgentAsync(OwnerThreadId, name, description, parentContext, taskFn);

    /// <summary>Spawns a sub-agent owned by this thread whose body gets an <see cref="AgentTaskContext"/>.</summary>
    /// <param name="name">An optional name, unique among this thread's running tasks.</param>
    /// <param name="description">What the agent does, for people.</param>
    /// <param name="parentContext">Lineage; a parent task must be one of this thread's.</param>
    /// <param name="taskFn">The body.</param>
    /// <returns>The new task's id.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="SpawnException">The spawn was refused.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAgentWithContextAsync(string? name, string description,
        TaskParentContext parentContext, Func<AgentTaskContext, Task<TaskResult>> taskFn) =>
        _manager.SpawnAgentWithContextAsync(OwnerThreadId, name, description, parentContext, taskFn);

    /// <summary>Spawns a tracked background task owned by this thread, with runtime controls.</summary>
    /// <param name="taskType">The kind of task, such as "fetch".</param>
    /// <param name="name">An optional name, unique among this thread's live tasks.</param>
    /// <param name="description">What the task does, for people.</param>
    /// <param name="parentContext">Lineage; a parent task must be one of this thread's.</param>
    /// <param name="options">The task's runtime controls; <see cref="SpawnOptions.Default"/> for none.</param>
    /// <param name="taskFn">The body.</param>
    /// <returns>The new task's id.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="taskType"/> is empty, <paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value of <paramref name="options"/> is out of range.</exception>
    /// <exception cref="SpawnException">The spawn was refused; <see cref="SpawnException.Error"/> says why.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAsync(string taskType, string? name, string description,
        TaskParentContext parentContext, SpawnOptions options, Func<TaskContext, Task<TaskResult>> taskFn) =>
        _manager.SpawnAsync(OwnerThreadId, taskType, name, description, parentContext, options, taskFn);

    /// <summary>Spawns a sub-agent owned by this thread, with runtime controls.</summary>
    /// <param name="name">An optional name, unique among this thread's live tasks.</param>
    /// <param name="description">What the agent does, for people.</param>
    /// <param name="parentContext">Lineage; a parent task must be one of this thread's.</param>
    /// <param name="options">The task's runtime controls; <see cref="SpawnOptions.Default"/> for none.</param>
    /// <param name="taskFn">The body: cancellation token, a sender into its own inbox, and the inbox.</param>
    /// <returns>The new task's id.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value of <paramref name="options"/> is out of range.</exception>
    /// <exception cref="SpawnException">The spawn was refused.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAgentAsync(string? name, string description, TaskParentContext parentContext,
        SpawnOptions options, Func<CancellationToken, InboxSender, InboxReceiver, Task<TaskResult>> taskFn) =>
        _manager.SpawnAgentAsync(OwnerThreadId, name, description, parentContext, options, taskFn);

    /// <summary>Spawns a sub-agent owned by this thread whose body gets an <see cref="AgentTaskContext"/>, with runtime controls.</summary>
    /// <param name="name">An optional name, unique among this thread's live tasks.</param>
    /// <param name="description">What the agent does, for people.</param>
    /// <param name="parentContext">Lineage; a parent task must be one of this thread's.</param>
    /// <param name="options">The task's runtime controls; <see cref="SpawnOptions.Default"/> for none.</param>
    /// <param name="taskFn">The body.</param>
    /// <returns>The new task's id.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace, or <paramref name="parentContext"/> names a task of another thread as parent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value of <paramref name="options"/> is out of range.</exception>
    /// <exception cref="SpawnException">The spawn was refused.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public Task<string> SpawnAgentWithContextAsync(string? name, string description, TaskParentContext parentContext,
        SpawnOptions options, Func<AgentTaskContext, Task<TaskResult>> taskFn) =>
        _manager.SpawnAgentWithContextAsync(OwnerThreadId, name, description, parentContext, options, taskFn);
}
