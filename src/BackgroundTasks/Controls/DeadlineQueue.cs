using System.Diagnostics;

namespace BackgroundTasks;

/// <summary>
/// Every deadline of one manager (attempt timeouts and heartbeats), driven by a single timer of the manager's
/// <see cref="TimeProvider"/> armed to the earliest deadline; a timer per task would cost a timer-queue node and a
/// callback per task at 100k live tasks. Entries with nondecreasing due times (the same timeout, spawn after spawn)
/// go to lanes, where adding and removing are O(1) (<c>DeadlineQueue.Lanes.cs</c>); the rest go to a binary min-heap,
/// O(log n) (<c>DeadlineQueue.Heap.cs</c>). Nothing here allocates per entry.
/// </summary>
/// <remarks>
/// The timer is re-armed only when a new deadline is earlier than the one it is armed for; an entry removed early just
/// lets the timer fire with nothing due, and it re-arms for what is left. Due entries are woken outside the lock, in
/// due order, since waking one cancels a token, which runs user callbacks.
/// </remarks>
internal sealed partial class DeadlineQueue : IDisposable
{
    // ITimer takes at most 0xFFFFFFFE ms; a later deadline is reached by firing early and re-arming.
    private static readonly TimeSpan s_longestArm = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;

    // Timestamp units per TimeSpan tick when that is a whole number, else 0.
    private readonly long _unitsPerTick;

    // Entries linked into the heap and the lanes, live or removed.
    private int _linked;
    private long _armedFor = long.MaxValue;
    private bool _disposed;

    public DeadlineQueue(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _unitsPerTick = timeProvider.TimestampFrequency % TimeSpan.TicksPerSecond == 0 ? timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond : 0;
        _timer = timeProvider.CreateTimer(static state => ((DeadlineQueue)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The live entries (removed ones still linked are not counted); a walk of the queue, for tests.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return CountLiveUnderLock();
            }
        }
    }

    /// <summary>Converts a span to <see cref="TimeProvider.GetTimestamp"/> units, saturating far below overflow.</summary>
    public long ToTimestampTicks(TimeSpan span)
    {
        // Every attempt converts its timeout: a whole number of timestamp units per tick (the system clock's 100 on
        // Linux, a fake clock's 1) is one multiplication instead of a 128-bit division.
        if (_unitsPerTick > 0 && span.Ticks <= long.MaxValue / 4 / _unitsPerTick)
        {
            return Math.Max(1, span.Ticks * _unitsPerTick);
        }

        var ticks = (Int128)span.Ticks * _timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond;
        return ticks > long.MaxValue / 4 ? long.MaxValue / 4 : Math.Max(1, (long)ticks);
    }

    /// <summary>Queues <paramref name="entry"/> (not queued now) to be woken at <paramref name="due"/>.</summary>
    public void Add(DeadlineEntry entry, long due)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (entry.IsLinked)
            {
                // Removed, and added again before the queue dropped it.
                Debug.Assert(Volatile.Read(ref entry.QueueState) == DeadlineEntry.Removed, "An entry is queued once at a time.");
                UnlinkUnderLock(entry);
            }

            entry.Due = due;
            Volatile.Write(ref entry.QueueState, DeadlineEntry.Live);
            if (!TryAddToLaneUnderLock(entry))
            {
                AddToHeapUnderLock(entry);
            }

            _linked++;
            DropRemovedUnderLock();

            // Only the new entry can be earlier than what the timer is armed for.
            if (due < _armedFor)
            {
                ArmUnderLock(due);
            }
        }
    }

    /// <summary>Takes <paramref name="entry"/> out of the queue if it is in it: it will not be woken.</summary>
    /// <remarks>
    /// Never waits for the lock: the entry is marked removed, then unlinked at once if the lock is free; if it is not
    /// (a spawn is adding, another attempt is ending), whoever holds the lock later drops it (see <c>DeadlineQueue.Removal.cs</c>).
    /// </remarks>
    public void Remove(DeadlineEntry entry)
    {
        if (Interlocked.CompareExchange(ref entry.QueueState, DeadlineEntry.Removed, DeadlineEntry.Live) != DeadlineEntry.Live
            || !_lock.TryEnter())
        {
            return;
        }

        try
        {
            // Still removed and linked: nobody dropped it, nor added it again, between the mark and the lock.
            if (entry.IsLinked && IsRemoved(entry))
            {
                UnlinkUnderLock(entry);
            }
        }
        finally
        {
            _lock.Exit();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;

            // The entries leave the queue too: an attempt that ends after the manager's disposal removes its entry,
            // and one that still looked queued would take the count below zero.
            ClearHeapUnderLock();
            ClearLanesUnderLock();
            _linked = 0;
        }

        _timer.Dispose();
    }

    private void OnTimer()
    {
        List<DeadlineEntry>? due = null;
        long now;
        lock (_lock)
        {
            now = _timeProvider.GetTimestamp();
            while (EarliestUnderLock() is { } entry && entry.Due <= now)
            {
                UnlinkUnderLock(entry);

                // Claimed against a concurrent Remove: a removed entry is only dropped.
                if (Interlocked.CompareExchange(ref entry.QueueState, DeadlineEntry.Idle, DeadlineEntry.Live) == DeadlineEntry.Live)
                {
                    (due ??= []).Add(entry);
                }
            }

            _armedFor = long.MaxValue;
            if (!_disposed && EarliestUnderLock() is { } next)
            {
                ArmUnderLock(next.Due);
            }
        }

        if (due is null)
        {
            return;
        }

        foreach (var entry in due)
        {
            var next = entry.OnDue(now);
            if (next >= 0)
            {
                Add(entry, next);
            }
        }
    }

    /// <summary>Takes a linked entry (live or removed) out of the heap or its lane.</summary>
    private void UnlinkUnderLock(DeadlineEntry entry)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread && entry.IsLinked);
        if (entry.HeapIndex >= 0)
        {
            RemoveFromHeapUnderLock(entry);
        }
        else
        {
            RemoveFromLaneUnderLock(entry);
        }

        _linked--;
    }

    private void ArmUnderLock(long due)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread && !_disposed);
        _armedFor = due;

        // Never less than one tick: a timer due at once may fire inside Change on some providers, and the
        // callback must not run while this lock is held.
        var wait = _timeProvider.GetElapsedTime(_timeProvider.GetTimestamp(), due);
        wait = wait < TimeSpan.FromTicks(1) ? TimeSpan.FromTicks(1) : wait > s_longestArm ? s_longestArm : wait;
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }
}
