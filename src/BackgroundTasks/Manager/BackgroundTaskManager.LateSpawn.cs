namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>
    /// Cancels a spawn that raced with a cancellation meant to reach it, once its record is in the store and
    /// before its body starts: one registered below a task a tree cancellation had reached, for a run that has
    /// been cancelled, or with <see cref="ParentClosePolicy.Cancel"/> below a parent that has already ended.
    /// </summary>
    /// <remarks>
    /// Both cancellations mark first and then walk: CancelDescendantsForRunAsync marks the run and walks the
    /// store, a tree cancellation marks each task before it reads its children (from the live tree or the
    /// store index; see <c>LiveTaskTable.Tree.cs</c>). This spawn registered (and wrote its record) before
    /// checking, so either the walk saw it or it sees the mark here. The full fence keeps the check from being
    /// read before the registration and the write.
    /// </remarks>
    private void CancelIfSpawnedLate(TaskRuntime runtime, TaskParentContext lineage)
    {
        Interlocked.MemoryBarrier();
        if ((lineage.TaskId is { } parentId && _live.IsBelowCancelledTree(runtime, parentId))
            || (lineage.RunId is { } runId && _live.IsRunCancelled(runId)))
        {
            // The whole subtree, and marked: a caller that named this task as parent before this check linked
            // its child below it, and must not wait for this body to notice its token.
            SignalLinkedSubtree(runtime, []);
        }
        else if (IsParentClosedFor(runtime, lineage.TaskId))
        {
            runtime.RequestCancellation();
        }
    }
}
