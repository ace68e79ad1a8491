using System.Diagnostics;

namespace BackgroundTasks;

/// <content>
/// Removal without waiting. Most deadlines are removed long before they are due (an attempt with a one-minute timeout
/// usually ends in milliseconds), from whichever thread ended the attempt; waiting for the queue's lock there would make
/// ends contend with spawns. So <see cref="Remove"/> marks the entry and unlinks it only if the lock is free; an entry
/// marked while the lock was busy is unlinked later by whoever holds the lock anyway: at each add, the removed entries at
/// the front of the lanes and the heap (tasks tend to end in the order they started), and, once the linked entries have
/// doubled since the last sweep, a sweep of the whole queue; at the latest, the timer drops it when it is due. So
/// removed entries never outnumber live ones by much.
/// </content>
internal sealed partial class DeadlineQueue
{
    private const int MinSweepThreshold = 64;

    // Sweep when this many entries are linked: twice what the last sweep left, so sweeping is O(1) per add amortized.
    private int _sweepAt = MinSweepThreshold;

    /// <summary>Unlinks removed entries at the front of each lane and of the heap, and sweeps when they may have piled up behind.</summary>
    private void DropRemovedUnderLock()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        for (var lane = 0; lane < LaneCount; lane++)
        {
            while (_laneHeads[lane] is { } head && IsRemoved(head))
            {
                UnlinkUnderLock(head);
            }
        }

        while (_heapCount > 0 && IsRemoved(_heap[0]))
        {
            UnlinkUnderLock(_heap[0]);
        }

        if (_linked >= _sweepAt)
        {
            SweepUnderLock();
            _sweepAt = Math.Max(MinSweepThreshold, 2 * _linked);
        }
    }

    /// <summary>Unlinks every removed entry: the lanes by a walk, the heap by compacting it and restoring its order.</summary>
    private void SweepUnderLock()
    {
        for (var lane = 0; lane < LaneCount; lane++)
        {
            for (var entry = _laneHeads[lane]; entry is not null;)
            {
                var next = entry.Next;
                if (IsRemoved(entry))
                {
                    UnlinkUnderLock(entry);
                }

                entry = next;
            }
        }

        var kept = 0;
        for (var i = 0; i < _heapCount; i++)
        {
            var entry = _heap[i];
            if (IsRemoved(entry))
            {
                entry.HeapIndex = -1;
                _linked--;
            }
            else
            {
                entry.HeapIndex = kept;
                _heap[kept++] = entry;
            }
        }

        Array.Clear(_heap, kept, _heapCount - kept);
        _heapCount = kept;
        for (var i = (kept / 2) - 1; i >= 0; i--)
        {
            SiftDown(i);
        }
    }

    /// <summary>Entries linked now, live or removed; for tests (removed ones must not pile up).</summary>
    internal int Linked
    {
        get
        {
            lock (_lock)
            {
                return _linked;
            }
        }
    }

    private int CountLiveUnderLock()
    {
        var live = 0;
        for (var lane = 0; lane < LaneCount; lane++)
        {
            for (var entry = _laneHeads[lane]; entry is not null; entry = entry.Next)
            {
                live += IsRemoved(entry) ? 0 : 1;
            }
        }

        for (var i = 0; i < _heapCount; i++)
        {
            live += IsRemoved(_heap[i]) ? 0 : 1;
        }

        return live;
    }

    private static bool IsRemoved(DeadlineEntry entry) => Volatile.Read(ref entry.QueueState) == DeadlineEntry.Removed;
}
