namespace BackgroundTasks;

/// <summary>Something a <see cref="DeadlineQueue"/> wakes when its due timestamp passes.</summary>
/// <remarks>The queue's fields live here (intrusively) so that adding and removing an entry allocates nothing.</remarks>
internal abstract class DeadlineEntry
{
    /// <summary>The due time, in <see cref="TimeProvider.GetTimestamp"/> units; written only under the queue's lock.</summary>
    internal long Due { get; set; }

    /// <summary>The entry's slot in the queue's heap, or -1 when it is not queued; written only under the queue's lock.</summary>
    internal int HeapIndex { get; set; } = -1;

    /// <summary>
    /// Called, outside the queue's lock, once <see cref="Due"/> has passed. Returns the next due time to be queued again
    /// (a heartbeat that was renewed meanwhile), or a negative number when the entry is done.
    /// </summary>
    internal abstract long OnDue(long now);
}
