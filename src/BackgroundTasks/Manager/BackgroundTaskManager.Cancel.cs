namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    private static readonly Task<int> s_zero = Task.FromResult(0);

    /// <summary>Signals cancellation to one task. Cancellation is cooperative: the status changes when the body ends.</summary>
    /// <remarks>A task still Queued (see <see cref="BackgroundTaskManagerOptions.MaxRunningPerOwner"/>) ends Cancelled at once, and its body never runs; so it is with every cancel method.</remarks>
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
    /// <remarks>
    /// Costs time proportional to the subtree, not to the store. A task spawned below a task this call reached,
    /// during the call or after it (by that task's body, or naming it as parent), is cancelled as soon as it is
    /// registered, before its body starts, so no descendant is left running. That holds for a parent that has
    /// since ended while it is among the last <c>4096</c> ended tasks a tree cancellation reached.
    /// </remarks>
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
    /// <remarks>
    /// A spawn racing with this call is either refused or cancelled as soon as it is registered. The run is remembered
    /// while it has a live task and, after that, until <see cref="BackgroundTaskManagerOptions.MaxCancelledRuns"/>
    /// later runs have been cancelled; a spawn for a run forgotten by then is accepted.
    /// </remarks>
    public Task<int> CancelDescendantsForRunAsync(string parentRunId)
    {
        ArgumentNullException.ThrowIfNull(parentRunId);

        // Mark first, then walk: see the matching check in CancelIfSpawnedLate.
        _live.MarkRunCancelled(parentRunId);
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

    private bool TryCancel(string taskId) => _live.TryGetValue(taskId, out var runtime) && Signal(runtime);

    /// <summary>Signals one live task and records that it was asked to stop; false when it has already ended.</summary>
    private bool Signal(TaskRuntime runtime)
    {
        if (!runtime.RequestCancellation())
        {
            return false;
        }

        _diagnostics.CancellationRequested(runtime.Running);
        return true;
    }

    /// <param name="rootId">The root.</param>
    /// <param name="owner">Null, or the one thread whose tasks are marked and signalled (a thread's view); the walk still passes through the others.</param>
    private int CancelTree(string rootId, string? owner = null)
    {
        if (Store is not { } store)
        {
            return TryCancel(rootId) ? 1 : 0;
        }

        // Walk before signalling (a batch at a time on the live tree, the whole store walk otherwise). Signalling
        // wakes bodies whose endings (store writes, events) then compete with the walk for the CPU and the locks.
        // A body spawning children while being cancelled is no different from one spawning them just after this
        // call returned.
        var live = new List<TaskRuntime>(LiveTaskTable.WalkBatch);
        if (_live.HasUnlinked)
        {
            // Some live task could not be linked below its parent's runtime: only the store index is complete.
            CollectFromStore(store, rootId, live, useLinks: false, owner);
        }
        else if (_live.TryGetValue(rootId, out var root))
        {
            // The common case, a live root: its whole live subtree hangs below its runtime. Walked and signalled
            // a batch at a time, so no list of the whole subtree is built (100k runtimes would be a large-object
            // allocation and its copies), and the signalling runs outside the table's lock since token
            // callbacks are user code.
            return SignalLinkedSubtree(root, live, owner);
        }
        else
        {
            // An ended (or restored, or unknown) root: the store index leads to the live runtimes below it.
            CollectFromStore(store, rootId, live, useLinks: true, owner);
        }

        var signalled = 0;
        foreach (var runtime in live)
        {
            signalled += Signal(runtime) ? 1 : 0;
        }

        return signalled;
    }

    private int SignalLinkedSubtree(TaskRuntime root, List<TaskRuntime> batch, string? owner = null)
    {
        var signalled = 0;
        var pending = new Stack<TaskRuntime>();
        pending.Push(root);
        bool more;
        do
        {
            more = _live.CollectBatch(pending, batch, owner);
            foreach (var runtime in batch)
            {
                signalled += Signal(runtime) ? 1 : 0;
            }

            batch.Clear();
        }
        while (more);

        return signalled;
    }

    /// <summary>
    /// Walks the store index from <paramref name="rootId"/>. With <paramref name="useLinks"/>, the walk leaves
    /// the index at the first task on each path that still has a runtime: every live task below it is linked
    /// below that runtime, so the index is needed only above the live tree.
    /// </summary>
    private void CollectFromStore(TaskStateStore store, string rootId, List<TaskRuntime> live, bool useLinks, string? owner)
    {
        // Marked before its children are read (here from the index): see LiveTaskTable.Tree.cs.
        if (_live.TryGetAndMarkTreeCancelled(rootId, out var root, IsRecordedFor(store, rootId, owner), owner) && !root.IsEnded
            && LiveTaskTable.Owns(root, owner))
        {
            live.Add(root);
        }

        // Iterative, so a chain of 100k tasks cannot overflow the stack. Every record has one parent, so each
        // task is listed once, under that parent: no visited set is needed, except that a hand-edited snapshot
        // could make the root a descendant of itself, which stops at the root. The budget is a last guard
        // against any other cycle: no walk can visit more tasks than the store holds. Spawns during the walk add
        // records, so the budget is read again before a child is skipped for it.
        var visited = 0;
        var budget = store.Tasks.Count;
        var pending = new Stack<string>();
        pending.Push(rootId);
        while (pending.TryPop(out var parentId))
        {
            foreach (var childId in store.Index.ChildrenOf(parentId))
            {
                if (childId == rootId || (++visited > budget && visited > (budget = store.Tasks.Count)))
                {
                    continue;
                }

                if (!_live.TryGetAndMarkTreeCancelled(childId, out var runtime, owner is null || IsRecordedFor(store, childId, owner), owner))
                {
                    pending.Push(childId);
                }
                else if (useLinks)
                {
                    _live.CollectSubtree(runtime, live, owner);
                }
                else
                {
                    if (!runtime.IsEnded && LiveTaskTable.Owns(runtime, owner))
                    {
                        live.Add(runtime);
                    }

                    pending.Push(childId);
                }
            }
        }
    }

    /// <summary>Whether the store has a record of <paramref name="taskId"/>, owned by <paramref name="owner"/> when one is given.</summary>
    private static bool IsRecordedFor(TaskStateStore store, string taskId, string? owner) =>
        store.Lookup(taskId) is { } summary && (owner is null || summary.OwnerThreadId == owner);
}
