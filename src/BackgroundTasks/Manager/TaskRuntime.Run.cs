namespace BackgroundTasks;

/// <content>
/// How a body gets run: queued to the scheduler (on the thread pool as a work item of its own), run in a context that
/// ends with it, and followed, when it suspends, by the runtime's continuation instead of an async method's box.
/// </content>
internal sealed partial class TaskRuntime
{
    /// <summary>Starts the body on <paramref name="scheduler"/>; never inline on the caller's thread.</summary>
    /// <remarks>
    /// The body's task is not kept: <see cref="BackgroundTaskManager.RunTask"/> never throws and reports
    /// the end through <see cref="Terminal"/>. On the default scheduler the runtime queues itself as a
    /// thread-pool work item, flowing the spawner's execution context as <c>Task.Run</c> would, which saves
    /// the Task that StartNew allocates per spawn.
    /// </remarks>
    public void Start(TaskScheduler scheduler)
    {
        if (scheduler == TaskScheduler.Default)
        {
            _executionContext = ExecutionContext.Capture();
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
            return;
        }

        _ = Task.Factory.StartNew(
            static state => ((TaskRuntime)state!).RunInOwnContext(),
            this,
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            scheduler);
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (_executionContext is { } context)
        {
            _executionContext = null;
            ExecutionContext.Run(context, static state => ((TaskRuntime)state!).RunAsync(), this);
        }
        else
        {
            // Flow was suppressed by the spawner: run on the pool's default context, as Task.Run would, in a context
            // that ends with the run.
            RunInOwnContext();
        }
    }

    /// <summary>
    /// Follows a body that suspended: once its task completes, its end is handled in the execution context of the run
    /// (the one with this task as <see cref="BackgroundTaskManager.CurrentTaskId"/>, not whatever the body's own flow
    /// set), as the continuation of an await would be.
    /// </summary>
    /// <remarks>
    /// One delegate per suspended body, where an async method would allocate its state machine box; the pending task and
    /// the context wait in the runtime's fields (the context's field is free again once the body started).
    /// </remarks>
    public void AwaitBody(Task<TaskResult> pending)
    {
        _pendingBody = pending;
        _executionContext = ExecutionContext.Capture();
        pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnBodyCompleted);
    }

    private void RunAsync() => _manager.RunTask(this);

    /// <summary>
    /// Runs the body from a scheduler's task. The run sets the flow's ambient values (the current task), which an
    /// async method's return used to undo; a task that captured no context runs on the scheduler's thread as it is, and
    /// a thread of the scheduler's own keeps its context from one task to the next, so the run gets a context of its
    /// own that ends with it. (On the thread pool, the work item runs inside one already, and the pool resets its
    /// threads.) A thread with flow suppressed has nothing to capture: the run then happens on it as it is.
    /// </summary>
    private void RunInOwnContext()
    {
        if (ExecutionContext.Capture() is { } context)
        {
            ExecutionContext.Run(context, static state => ((TaskRuntime)state!).RunAsync(), this);
        }
        else
        {
            RunAsync();
        }
    }

    private void OnBodyCompleted()
    {
        if (_executionContext is { } context)
        {
            _executionContext = null;
            ExecutionContext.Run(context, static state => ((TaskRuntime)state!).EndBody(), this);
        }
        else
        {
            EndBody();
        }
    }

    private void EndBody()
    {
        var completed = _pendingBody;
        _pendingBody = null;
        _manager.EndPlainBody(this, BackgroundTaskManager.OutcomeOf(completed));
    }
}
