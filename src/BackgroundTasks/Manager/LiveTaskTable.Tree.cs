using System.Diagnostics;

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
/// <para>All link fields of <see cref="TaskRuntime"/> are read and written only under this table's lock.</para>
/// </remarks>
internal sealed partial class LiveTaskTable
{
    // Enough nodes per lock hold that the walk pays few lock round trips, few enough that a spawn or an
    // end waiting for the lock is not held up for long.
    internal const int WalkBatch = 256;

    private int _unlinked;

    /// <summary>Whether a live task is missing from the tree (see the remarks); read without the lock as a hint.</summary>
    public bool HasUnlinked => Volatile.Read(ref _unlinked) != 0;

    /// <summary>
    /// Adds <paramref name="start"/> (when live) and every live runtime linked below it to <paramref name="live"/>.
    /// Ended runtimes are walked through but not added.
    /// </summary>
    public void CollectSubtree(TaskRuntime start, List<TaskRuntime> live)
    {
        var pending = new Stack<TaskRuntime>();
        pending.Push(start);
        while (CollectBatch(pending, live))
        {
        }
    }

    /// <summary>
    /// Walks up to one batch of <paramref name="pending"/> runtimes under one lock hold: adds the live ones to
    /// <paramref name="live"/> and pushes their linked children. Ended runtimes are walked through but not added.
    /// </summary>
    /// <returns>Whether runtimes remain to walk.</returns>
    public bool CollectBatch(Stack<TaskRuntime> pending, List<TaskRuntime> live)
    {
        lock (_lock)
        {
            // The lock is released between batches; a runtime unlinked meanwhile just has fewer children,
            // and links never move, so nothing is reached twice. The tree has no cycle: a runtime only
            // links below one that existed before it.
            for (var i = 0; i < WalkBatch && pending.TryPop(out var runtime); i++)
            {
                if (!runtime.IsEnded)
                {
                    live.Add(runtime);
                }

                for (var child = runtime.FirstChild; child is not null; child = child.NextSibling)
                {
                    pending.Push(child);
                }
            }

            return pending.Count != 0;
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
