using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace BackgroundTasks;

/// <content>
/// The live tree: each runtime keeps its live children as an intrusive list, so a subtree walk follows
/// object references instead of hashing ids in the store index and the live table for every node.
/// </content>
/// <remarks>
/// <para>
/// A spawn links its runtime below its parent's runtime when the parent is still in this table (the
/// parent is then live, or ended but not yet removed). A runtime unlinks when it is removed, in O(1);
/// a removed runtime that still has linked children stays linked as a bridge until its last child
/// unlinks, so a live ancestor still reaches live grandchildren below an ended child. A long-lived
/// parent therefore holds only the ended children that still have live descendants.
/// </para>
/// <para>
/// A child whose parent id names no runtime in this table (the parent was removed, restored, lives in
/// another manager, or is not known yet) cannot be linked: it is counted as unlinked, and while any
/// such task is live the walk falls back to the store index, which has every lineage link.
/// </para>
/// <para>
/// A tree cancellation marks each runtime it reaches (<see cref="TaskRuntime.IsTreeCancelled"/>) under the lock,
/// in the same hold in which it reads that runtime's children. A spawn links under the same lock and, once its
/// record is in the store, asks <see cref="IsBelowCancelledTree"/>: a child linked before the mark is among the
/// children the walk read, a child linked after it sees the mark, so no child of a cancelled tree is missed.
/// </para>
/// <para>All link fields of <see cref="TaskRuntime"/> are read and written only under this table's lock.</para>
/// </remarks>
internal sealed partial class LiveTaskTable
{
    // Enough nodes per lock hold that the walk pays few lock round trips, few enough that a spawn or an
    // end waiting for the lock is not held up for long.
    internal const int WalkBatch = 256;

    // Tasks a tree cancellation reached that have left the table, newest last: a child spawned below one of them
    // can no longer find its parent's runtime, so it finds the parent's id here. Bounded, oldest out first.
    internal const int MaxEndedTreeCancelMarks = 4096;

    private readonly HashSet<string> _endedTreeCancelled = new(StringComparer.Ordinal);
    private readonly Queue<string> _endedTreeCancelledOrder = new();
    private int _unlinked;

    /// <summary>Whether a live task is missing from the tree (see the remarks); read without the lock as a hint.</summary>
    public bool HasUnlinked => Volatile.Read(ref _unlinked) != 0;

    /// <summary>
    /// Adds <paramref name="start"/> (when live) and every live runtime linked below it to <paramref name="live"/>.
    /// Ended runtimes are walked through but not added.
    /// </summary>
    public void CollectSubtree(TaskRuntime start, List<TaskRuntime> live, string? owner = null)
    {
        var pending = new Stack<TaskRuntime>();
        pending.Push(start);
        while (CollectBatch(pending, live, owner))
        {
        }
    }

    /// <summary>
    /// Walks up to one batch of <paramref name="pending"/> runtimes under one lock hold: adds the live ones to
    /// <paramref name="live"/> and pushes their linked children. Ended runtimes are walked through but not added.
    /// </summary>
    /// <param name="pending">The runtimes still to walk.</param>
    /// <param name="live">Receives the live runtimes walked.</param>
    /// <param name="owner">Null, or the one owner thread whose runtimes are marked and added; the others are only walked through.</param>
    /// <returns>Whether runtimes remain to walk.</returns>
    public bool CollectBatch(Stack<TaskRuntime> pending, List<TaskRuntime> live, string? owner = null)
    {
        lock (_lock)
        {
            // The lock is released between batches; a runtime unlinked meanwhile just has fewer children,
            // and links never move, so nothing is reached twice. The tree has no cycle: a runtime only
            // links below one that existed before it.
            for (var i = 0; i < WalkBatch && pending.TryPop(out var runtime); i++)
            {
                if (Owns(runtime, owner))
                {
                    runtime.IsTreeCancelled = true;
                    if (runtime.IsRemoved)
                    {
                        // A bridge: it will not be removed again, so its mark must outlive it now.
                        RememberEndedTreeCancelledUnderLock(runtime.TaskId);
                    }

                    if (!runtime.IsEnded)
                    {
                        live.Add(runtime);
                    }
                }

                for (var child = runtime.FirstChild; child is not null; child = child.NextSibling)
                {
                    pending.Push(child);
                }
            }

            return pending.Count != 0;
        }
    }

    /// <summary>
    /// Looks up a runtime and marks it as reached by a tree cancellation in the same lock hold, so that a child
    /// linking below it from now on sees the mark. For walks that read children from the store index.
    /// </summary>
    /// <param name="taskId">The task's id.</param>
    /// <param name="runtime">Its runtime, when it is in the table.</param>
    /// <param name="isRecorded">Whether the task has a record; only then is an id with no runtime remembered as marked.</param>
    /// <param name="owner">Null, or the one owner thread whose runtime is marked.</param>
    public bool TryGetAndMarkTreeCancelled(string taskId, [MaybeNullWhen(false)] out TaskRuntime runtime, bool isRecorded = true, string? owner = null)
    {
        lock (_lock)
        {
            if (!_runtimes.TryGetValue(taskId, out runtime))
            {
                if (isRecorded)
                {
                    RememberEndedTreeCancelledUnderLock(taskId);
                }

                return false;
            }

            if (Owns(runtime, owner))
            {
                runtime.IsTreeCancelled = true;
            }

            return true;
        }
    }

    /// <summary>Whether a walk limited to <paramref name="owner"/> (null: no limit) acts on <paramref name="runtime"/>.</summary>
    public static bool Owns(TaskRuntime runtime, string? owner) => owner is null || runtime.Running.OwnerThreadId == owner;

    /// <summary>Whether the parent of <paramref name="child"/> was reached by a tree cancellation.</summary>
    /// <remarks>
    /// A child linked below its parent's runtime asks that runtime. A child that could not be linked (its parent
    /// had already left this table) asks the bounded memory of ended tasks a tree cancellation reached: a parent
    /// that fell out of it (<see cref="MaxEndedTreeCancelMarks"/> later ones came after it) no longer counts.
    /// </remarks>
    public bool IsBelowCancelledTree(TaskRuntime child, string parentId)
    {
        lock (_lock)
        {
            return child.LinkParent is { } parent ? parent.IsTreeCancelled : _endedTreeCancelled.Contains(parentId);
        }
    }

    private void RememberEndedTreeCancelledUnderLock(string taskId)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (!_endedTreeCancelled.Add(taskId))
        {
            return;
        }

        _endedTreeCancelledOrder.Enqueue(taskId);
        if (_endedTreeCancelledOrder.Count > MaxEndedTreeCancelMarks)
        {
            _endedTreeCancelled.Remove(_endedTreeCancelledOrder.Dequeue());
        }
    }

    /// <summary>Adds the live children linked directly below <paramref name="parent"/> that were spawned with <see cref="ParentClosePolicy.Cancel"/>.</summary>
    public void CollectCancelOnCloseChildren(TaskRuntime parent, List<TaskRuntime> children)
    {
        lock (_lock)
        {
            for (var child = parent.FirstChild; child is not null; child = child.NextSibling)
            {
                if (!child.IsEnded && child.Options.ParentClosePolicy == ParentClosePolicy.Cancel)
                {
                    children.Add(child);
                }
            }
        }
    }

    private void LinkUnderLock(TaskRuntime child, string parentId)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (!_runtimes.TryGetValue(parentId, out var parent))
        {
            child.IsUnlinked = true;
            _unlinked++;
            return;
        }

        child.LinkParent = parent;
        if (child.Options.ParentClosePolicy == ParentClosePolicy.Cancel)
        {
            parent.HasCancelOnCloseChildren = true;
        }

        child.NextSibling = parent.FirstChild;
        if (parent.FirstChild is { } first)
        {
            first.PreviousSibling = child;
        }

        parent.FirstChild = child;
    }

    /// <summary>Marks a runtime removed and unlinks it, and every removed ancestor it was the last bridge for.</summary>
    private void UnlinkUnderLock(TaskRuntime runtime)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        runtime.IsRemoved = true;
        if (runtime.IsTreeCancelled)
        {
            // In the same hold as the removal: a child that links from now on cannot find the runtime, and finds this.
            RememberEndedTreeCancelledUnderLock(runtime.TaskId);
        }

        if (runtime.IsUnlinked)
        {
            runtime.IsUnlinked = false;
            _unlinked--;
        }

        // A runtime with linked children stays as their bridge; its last child's removal unlinks it.
        var current = runtime;
        while (current is { IsRemoved: true, FirstChild: null, LinkParent: { } parent })
        {
            if (current.PreviousSibling is { } previous)
            {
                previous.NextSibling = current.NextSibling;
            }
            else
            {
                parent.FirstChild = current.NextSibling;
            }

            if (current.NextSibling is { } next)
            {
                next.PreviousSibling = current.PreviousSibling;
            }

            current.LinkParent = current.PreviousSibling = current.NextSibling = null;
            current = parent;
        }
    }
}
