namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    private static readonly Task<int> s_zero = Task.FromResult(0);

    /// <summary>Signals cancellation to one task. Cancellation is cooperative: the status changes when the body ends.</summary>
    /// <param name="taskId">The task id.</param>
    /// <returns><see langword="false"/> when the task is unknown or has already ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    public Task<bool> CancelAsync(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        return Task.FromResult(TryCancel(taskId));
    }

    /// <summary>Signals cancellation to a task and every live descendant, following <see cref="TaskParentContext.TaskId"/> links.</summary>
    /// <param name="taskId">The root of the subtree; an ended root still has its live descendants signalled.</param>
    /// <returns>How many live tasks were signalled, the root included.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    /// <remarks>Costs time proportional to the subtree, not to the store.</remarks>
    public Task<int> CancelTreeAsync(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        return Task.FromResult(CancelTree(taskId));
    }

    /// <summary>Signals cancellation to every live task of an owner thread.</summary>
    /// <param name="ownerThreadId">The owner thread.</param>
    /// <returns>How many live tasks were signalled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ownerThreadId"/> is null.</exception>
    public Task<int> CancelAllAsync(string ownerThreadId)
    {
        ArgumentNullException.ThrowIfNull(ownerThreadId);
        if (Store is not { } store)
        {
            return s_zero;
        }

        var signalled = 0;
        foreach (var taskId in store.Index.TasksOfOwner(ownerThreadId))
        {
            signalled += TryCancel(taskId) ? 1 : 0;
        }

        return Task.FromResult(signalled);
    }

    /// <summary>
    /// Cancels everything an agent run started: the trees of the tasks whose RunId is
    /// <paramref name="parentRunId"/> and that have no parent task. From then on every spawn whose
    /// (merged) RunId is <paramref name="parentRunId"/> fails with <see cref="SpawnError.ParentRunCancelled"/>.
    /// </summary>
    /// <param name="parentRunId">The agent run.</param>
    /// <returns>How many live tasks were signalled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parentRunId"/> is null.</exception>
    /// <remarks>A spawn racing with this call is either refused or cancelled as soon as it is registered.</remarks>
    public Task<int> CancelDescendantsForRunAsync(string parentRunId)
    {
        ArgumentNullException.ThrowIfNull(parentRunId);

        // Mark first, then walk: see the matching check at the end of SpawnCoreAsync.
        _cancelledRuns[parentRunId] = true;
        if (Store is not { } store)
        {
            return s_zero;
        }

        var signalled = 0;
        foreach (var rootId in store.Index.RootsOfRun(parentRunId))
        {
            signalled += CancelTree(rootId);
        }

        return Task.FromResult(signalled);
    }

    private bool TryCancel(string taskId)
    {
        if (!_live.TryGetValue(taskId, out var runtime) || !runtime.RequestCancellation())
        {
            return false;
        }

        _diagnostics.CancellationRequested(runtime.Running);
        return true;
    }

    private int CancelTree(string rootId)
    {
        var signalled = TryCancel(rootId) ? 1 : 0;
        if (Store is not { } store)
        {
            return signalled;
        }

        // Iterative walk: a chain of 100k tasks must not overflow the stack. The visited set guards
        // against cycles that only a hand-edited snapshot could contain.
        var pending = new Stack<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { rootId };
        pending.Push(rootId);
        while (pending.TryPop(out var parentId))
        {
            foreach (var childId in store.Index.ChildrenOf(parentId))
            {
                if (visited.Add(childId))
                {
                    signalled += TryCancel(childId) ? 1 : 0;
                    pending.Push(childId);
                }
            }
        }

        return signalled;
    }
}
