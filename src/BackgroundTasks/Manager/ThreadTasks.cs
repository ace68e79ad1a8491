using BackgroundTasks.Caching;

namespace BackgroundTasks;

/// <summary>
/// The tasks of one owner thread: a view of a <see cref="BackgroundTaskManager"/> that a multi-tenant runtime can
/// hand to one conversation. Create it with <see cref="BackgroundTaskManager.ForThread"/>.
/// </summary>
/// <remarks>
/// Every call acts on this thread's tasks only. Another thread's task id is treated exactly like an unknown id
/// (null, <see langword="false"/>, 0, empty, <see cref="KeyNotFoundException"/>, <see cref="SendError.TaskNotFound"/>,
/// with the same messages), so the view reveals nothing about other threads. Thread-safe, like the manager.
/// </remarks>
public sealed partial class ThreadTasks
{
    private readonly BackgroundTaskManager _manager;

    internal ThreadTasks(BackgroundTaskManager manager, string ownerThreadId)
    {
        _manager = manager;
        OwnerThreadId = ownerThreadId;
    }

    /// <summary>The owner thread this view acts for.</summary>
    public string OwnerThreadId { get; }

    /// <summary>Signals cancellation to one of this thread's tasks.</summary>
    /// <param name="taskId">The task id.</param>
    /// <returns><see langword="false"/> when the task is unknown, another thread's, or has already ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    public Task<bool> CancelAsync(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        return _manager.FindOwned(taskId, OwnerThreadId) is null ? Task.FromResult(false) : _manager.CancelAsync(taskId);
    }

    /// <summary>Signals cancellation to one of this thread's tasks and to this thread's live tasks below it.</summary>
    /// <param name="taskId">The root of the subtree.</param>
    /// <returns>How many live tasks were signalled; 0 when the root is unknown or another thread's.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    /// <remarks>As <see cref="BackgroundTaskManager.CancelTreeAsync"/>, except that tasks of other threads below the root are left alone.</remarks>
    public Task<int> CancelTreeAsync(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        return Task.FromResult(_manager.CancelTreeOfThread(taskId, OwnerThreadId));
    }

    /// <summary>Signals cancellation to every live task of this thread.</summary>
    /// <returns>How many live tasks were signalled.</returns>
    public Task<int> CancelAllAsync() => _manager.CancelAllAsync(OwnerThreadId);

    /// <summary>The record of one of this thread's tasks.</summary>
    /// <param name="taskId">The task id.</param>
    /// <returns>The current record; null when the task is unknown or another thread's.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    public Task<TaskSummary?> GetAsync(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        return Task.FromResult(_manager.FindOwned(taskId, OwnerThreadId));
    }

    /// <summary>This thread's tasks, in the order they were added to the store.</summary>
    /// <returns>Their records; empty when there are none or no store is set.</returns>
    public Task<IReadOnlyList<TaskSummary>> ListAsync() => _manager.ListAsync(OwnerThreadId);

    /// <summary>Whether this thread has a task whose record says Running.</summary>
    /// <returns><see langword="true"/> if any of its tasks is Running.</returns>
    public Task<bool> HasRunningAsync() => _manager.HasRunningAsync(OwnerThreadId);

    /// <summary>Waits until one of this thread's tasks has ended and returns its terminal record.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Stops the wait (not the task).</param>
    /// <returns>The terminal record, as <see cref="BackgroundTaskManager.WaitAsync"/> returns it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No task of this thread has the id.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task<TaskSummary> WaitAsync(string taskId, CancellationToken cancellationToken = default)
    {
        // Async like the manager's WaitAsync, so every failure, an argument one included, is in the returned task.
        ArgumentNullException.ThrowIfNull(taskId);
        if (_manager.FindOwned(taskId, OwnerThreadId) is null)
        {
            throw new KeyNotFoundException(Messages.TaskNotFound(taskId));
        }

        return await _manager.WaitAsync(taskId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Delivers <c>TaskEvent.Custom(taskId, "agent_message", {"from": senderAgentId, "content": content})</c> to a
    /// live sub-agent of this thread.
    /// </summary>
    /// <param name="taskId">The sub-agent's task id.</param>
    /// <param name="senderAgentId">Who sends the message.</param>
    /// <param name="content">The message.</param>
    /// <returns>A task that completes when the message is in the inbox.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="SendException">
    /// The message was not delivered: <see cref="SendError.TaskNotFound"/> (unknown, or another thread's),
    /// <see cref="SendError.TaskTerminated"/>, <see cref="SendError.NoInbox"/> or <see cref="SendError.InboxClosed"/>.
    /// </exception>
    public Task SendTaskInboxMessageAsync(string taskId, string senderAgentId, string content)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentNullException.ThrowIfNull(senderAgentId);
        ArgumentNullException.ThrowIfNull(content);
        // Thrown, not returned in the task, as the manager's own checks are.
        if (_manager.FindOwned(taskId, OwnerThreadId) is null)
        {
            throw new SendException(SendError.TaskNotFound, Messages.TaskNotFound(taskId));
        }

        return _manager.SendTaskInboxMessageAsync(taskId, OwnerThreadId, senderAgentId, content);
    }

    /// <summary>This thread's records as change sets: the current ones as Adds, then every change.</summary>
    /// <returns>A cold stream per subscriber, with no gap and no duplicate between snapshot and changes.</returns>
    /// <exception cref="InvalidOperationException">No store is set.</exception>
    public IObservable<IChangeSet<TaskSummary, string>> Connect() => _manager.Connect(OwnerThreadId);
}
