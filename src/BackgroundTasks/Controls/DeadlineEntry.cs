namespace BackgroundTasks;

/// <summary>Something a <see cref="DeadlineQueue"/> wakes when its due timestamp passes.</summary>
/// <remarks>The queue's fields live here (intrusively) so that adding and removing an entry allocates nothing.</remarks>
internal abstract class DeadlineEntry
{
    /// <summary>The due time, in <see cref="TimeProvider.GetTimestamp"/> units; written only under the queue's lock.</summary>
    internal long Due { get; set; }

    /// <summary>The entry's slot in the queue's heap, or -1 when it is not in the heap; written only under the queue's lock.</summary>
    internal int HeapIndex { get; set; } = -1;

    /// <summary>The queue's lane the entry is in, or -1 when it is in none; written only under the queue's lock.</summary>
    internal int Lane { get; set; } = -1;

    /// <summary>The entry before this one in its lane (earlier or equal due); written only under the queue's lock.</summary>
    internal DeadlineEntry? Previous { get; set; }

    /// <summary>The entry after this one in its lane (later or equal due); written only under the queue's lock.</summary>
    internal DeadlineEntry? Next { get; set; }

    /// <summary>Whether the entry is queued (in the heap or in a lane).</summary>
    internal bool IsQueued => HeapIndex >= 0 || Lane >= 0;

    /// <summary>
    /// Called, outside the queue's lock, once <see cref="Due"/> has passed. Returns the next due time to be queued again
    /// (a heartbeat that was renewed meanwhile), or a negative number when the entry is done.
    /// </summary>
    internal abstract long OnDue(long now);
}
