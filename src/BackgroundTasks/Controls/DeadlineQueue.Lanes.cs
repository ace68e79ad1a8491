using System.Diagnostics;

namespace BackgroundTasks;

/// <content>
/// Lanes: a few doubly linked lists, each sorted by due time, that take an entry only at their tail (a due time no
/// earlier than the tail's). Tasks spawned with the same timeout get nondecreasing deadlines, so they all append to
/// one lane: adding is O(1), and removing (most attempts end long before their deadline) is an O(1) unlink with no
/// sift. An entry no lane can take at its tail (a shorter timeout after longer ones, with every lane busy) goes to the
/// heap. Lanes hold no removed entries: nothing is kept alive until its deadline passes.
/// </content>
internal sealed partial class DeadlineQueue
{
    // Enough for a handful of distinct timeouts and heartbeat periods in use at once; the heap takes the rest.
    private const int LaneCount = 4;

    private readonly DeadlineEntry?[] _laneHeads = new DeadlineEntry?[LaneCount];
    private readonly DeadlineEntry?[] _laneTails = new DeadlineEntry?[LaneCount];

    /// <summary>Appends <paramref name="entry"/> (its <see cref="DeadlineEntry.Due"/> set) to a lane; false when none can take it.</summary>
    /// <remarks>The lane whose tail is the latest one not after the entry, so lanes stay apart; else an empty lane.</remarks>
    private bool TryAddToLaneUnderLock(DeadlineEntry entry)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        var best = -1;
        var empty = -1;
        for (var lane = 0; lane < LaneCount; lane++)
        {
            if (_laneTails[lane] is not { } tail)
            {
                empty = empty < 0 ? lane : empty;
            }
            else if (tail.Due <= entry.Due && (best < 0 || tail.Due > _laneTails[best]!.Due))
            {
                best = lane;
            }
        }

        var chosen = best >= 0 ? best : empty;
        if (chosen < 0)
        {
            return false;
        }

        entry.Lane = chosen;
        entry.Previous = _laneTails[chosen];
        if (entry.Previous is { } previous)
        {
            previous.Next = entry;
        }
        else
        {
            _laneHeads[chosen] = entry;
        }

        _laneTails[chosen] = entry;
        return true;
    }

    private void RemoveFromLaneUnderLock(DeadlineEntry entry)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread && entry.Lane >= 0);
        var lane = entry.Lane;
        if (entry.Previous is { } previous)
        {
            previous.Next = entry.Next;
        }
        else
        {
            _laneHeads[lane] = entry.Next;
        }

        if (entry.Next is { } next)
        {
            next.Previous = entry.Previous;
        }
        else
        {
            _laneTails[lane] = entry.Previous;
        }

        // Unlinked both ways: an attempt kept alive by a body still running must not keep its old neighbours alive.
        entry.Lane = -1;
        entry.Previous = null;
        entry.Next = null;
    }

    /// <summary>The queued entry due first (ties: the lowest lane, then the heap), or null when nothing is queued.</summary>
    private DeadlineEntry? EarliestUnderLock()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        var earliest = _heapCount > 0 ? _heap[0] : null;
        for (var lane = LaneCount - 1; lane >= 0; lane--)
        {
            if (_laneHeads[lane] is { } head && (earliest is null || head.Due <= earliest.Due))
            {
                earliest = head;
            }
        }

        return earliest;
    }

    /// <summary>Empties the lanes at disposal: their entries count as not queued.</summary>
    private void ClearLanesUnderLock()
    {
        for (var lane = 0; lane < LaneCount; lane++)
        {
            for (var entry = _laneHeads[lane]; entry is not null;)
            {
                var next = entry.Next;
                entry.Lane = -1;
                entry.Previous = null;
                entry.Next = null;
                Volatile.Write(ref entry.QueueState, DeadlineEntry.Idle);
                entry = next;
            }

            _laneHeads[lane] = null;
            _laneTails[lane] = null;
        }
    }
}
