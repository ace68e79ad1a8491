using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;

namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    private static readonly Task<TaskSummary?> s_noSummary = Task.FromResult<TaskSummary?>(null);

    /// <summary>The tasks of an owner thread, in the order they were added to the store.</summary>
    /// <param name="ownerThreadId">The owner thread.</param>
    /// <returns>Their records; empty when there are none or no store is set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ownerThreadId"/> is null.</exception>
    /// <remarks>Costs time proportional to that owner's tasks.</remarks>
    public Task<IReadOnlyList<TaskSummary>> ListAsync(string ownerThreadId)
    {
        ArgumentNullException.ThrowIfNull(ownerThreadId);
        if (Store is not { } store)
        {
            return Task.FromResult<IReadOnlyList<TaskSummary>>([]);
        }

        var ids = store.Index.TasksOfOwner(ownerThreadId);
        var summaries = new List<TaskSummary>(ids.Length);
        foreach (var taskId in ids)
        {
            if (store.Lookup(taskId) is { } summary)
            {
                summaries.Add(summary);
            }
        }

        return Task.FromResult<IReadOnlyList<TaskSummary>>(summaries);
    }

    /// <summary>The record of a task, or <see langword="null"/> when there is none.</summary>
    /// <param name="taskId">The task id.</param>
    /// <returns>The current record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    public Task<TaskSummary?> GetAsync(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        return Find(taskId) is { } summary ? Task.FromResult<TaskSummary?>(summary) : s_noSummary;
    }

    /// <summary>Whether an owner thread has a task whose record says Running or Queued.</summary>
    /// <param name="ownerThreadId">The owner thread.</param>
    /// <returns><see langword="true"/> if any of its tasks is Running or Queued (waiting for a run slot).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ownerThreadId"/> is null.</exception>
    public Task<bool> HasRunningAsync(string ownerThreadId)
    {
        ArgumentNullException.ThrowIfNull(ownerThreadId);
        if (Store is { } store)
        {
            foreach (var taskId in store.Index.TasksOfOwner(ownerThreadId))
            {
                if (store.Lookup(taskId) is { Status: BackgroundTaskStatus.Running or BackgroundTaskStatus.Queued })
                {
                    return Task.FromResult(true);
                }
            }
        }

        return Task.FromResult(false);
    }

    /// <summary>Waits until a task has ended and returns its terminal record.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Stops the wait (not the task).</param>
    /// <returns>The terminal record; by then its terminal event has been sent.</returns>
    /// <remarks>
    /// The task's end goes in this order: its name is freed, its terminal record is in the store (queries and
    /// cancellation see it as ended), its terminal event is sent, and then this wait returns. So a reader that
    /// drains the owner inbox after this wait finds the terminal event. The price is that the wait depends on the
    /// owner inbox bound to the task: a target block whose <c>OfferMessage</c> blocks (which TPL Dataflow's
    /// contract forbids) holds up the waiters of the tasks whose events it is being offered, and
    /// <see cref="DisposeAsync"/>, until it returns; the store, queries, cancellation, spawning and tasks bound to
    /// other inboxes go on. Put a slow consumer behind a buffer (<see cref="Inbox.Create(int)"/>, then link it).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No task has the id.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task<TaskSummary> WaitAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        if (_live.TryGetValue(taskId, out var runtime)
            && await runtime.Terminal.WaitAsync(cancellationToken).ConfigureAwait(false) is { } terminal)
        {
            return terminal;
        }

        var store = Store;
        var current = store?.Lookup(taskId) ?? throw new KeyNotFoundException(Messages.TaskNotFound(taskId));
        if (current.Status.IsTerminal())
        {
            return current;
        }

        // Running in the store but not ours (another manager shares the store): wait for the store.
        return await store.Tasks.Watch(taskId)
            .Select(change => change.Current)
            .FirstAsync(summary => summary.Status.IsTerminal())
            .ToTask(cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The live task whose parent task is <paramref name="parentTaskId"/> and whose id or name is <paramref name="nameOrTaskId"/>.</summary>
    /// <param name="parentTaskId">The parent task.</param>
    /// <param name="nameOrTaskId">A child's id or name.</param>
    /// <returns>The child's id, or null.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public string? ResolveLiveChildTask(string parentTaskId, string nameOrTaskId)
    {
        ArgumentNullException.ThrowIfNull(parentTaskId);
        ArgumentNullException.ThrowIfNull(nameOrTaskId);
        return Store is { } store ? ResolveLive(store, store.Index.ChildrenOf(parentTaskId), nameOrTaskId) : null;
    }

    /// <summary>The live task of run <paramref name="parentRunId"/> with no parent task whose id or name is <paramref name="nameOrTaskId"/>.</summary>
    /// <param name="parentRunId">The agent run.</param>
    /// <param name="nameOrTaskId">A task's id or name.</param>
    /// <returns>The task's id, or null.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public string? ResolveLiveChildRun(string parentRunId, string nameOrTaskId)
    {
        ArgumentNullException.ThrowIfNull(parentRunId);
        ArgumentNullException.ThrowIfNull(nameOrTaskId);
        return Store is { } store ? ResolveLive(store, store.Index.RootsOfRun(parentRunId), nameOrTaskId) : null;
    }

    private string? ResolveLive(TaskStateStore store, string[] candidates, string nameOrTaskId)
    {
        // An id match wins over a name match, so a task named like another task's id cannot shadow it.
        foreach (var taskId in candidates)
        {
            if (taskId == nameOrTaskId && IsLive(taskId))
            {
                return taskId;
            }
        }

        foreach (var taskId in candidates)
        {
            if (IsLive(taskId) && store.Lookup(taskId)?.Name == nameOrTaskId)
            {
                return taskId;
            }
        }

        return null;
    }
}
