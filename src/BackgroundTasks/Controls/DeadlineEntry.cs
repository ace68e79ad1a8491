namespace BackgroundTasks;

/// <summary>Something a <see cref="DeadlineQueue"/> wakes when its due timestamp passes.</summary>
/// <remarks>The queue's fields live here (intrusively) so that adding and removing an entry allocates nothing.</remarks>
internal abstract class DeadlineEntry
{
    /// <summary>Not queued: never added, woken (taken out by the timer), or dropped by the queue.</summary>
    internal const int Idle = 0;

    /// <summary>Queued and live: the timer wakes it when it is due.</summary>
    internal const int Live = 1;

    /// <summary>Removed by its owner and never to be woken; it may still be linked until the queue drops it.</summary>
    internal const int Removed = 2;

    /// <summary>
    /// <see cref="Idle"/>, <see cref="Live"/> or <see cref="Removed"/>. Removal is one compare-and-swap on this field, not a
    /// trip through the queue's lock; the timer claims a due entry with the same compare-and-swap, so exactly one wins.
    /// </summary>
    internal int QueueState;

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

    /// <summary>Whether the entry is linked into the queue (the heap or a lane), live or removed; read only under the queue's lock.</summary>
    internal bool IsLinked => HeapIndex >= 0 || Lane >= 0;

    /// <summary>
    /// Called, outside the queue's lock, once <see cref="Due"/> has passed. Returns the next due time to be queued again
    /// (a heartbeat that was renewed meanwhile), or a negative number when the entry is done.
    /// </summary>
    internal abstract long OnDue(long now);
}
