using System.Diagnostics;

namespace BackgroundTasks;

/// <summary>
/// Every deadline of one manager (attempt timeouts and heartbeats) in one binary min-heap, driven by a single timer of
/// the manager's <see cref="TimeProvider"/> armed to the earliest deadline. Add and remove are O(log n) and allocate
/// nothing; a timer per task would cost a timer-queue node and a callback per task at 100k live tasks.
/// </summary>
/// <remarks>
/// The timer is re-armed only when a new deadline is earlier than the one it is armed for; an entry removed early just
/// lets the timer fire with nothing due, and it re-arms for what is left. Due entries are woken outside the lock,
/// since waking one cancels a token, which runs user callbacks.
/// </remarks>
internal sealed class DeadlineQueue : IDisposable
{
    // ITimer takes at most 0xFFFFFFFE ms; a later deadline is reached by firing early and re-arming.
    private static readonly TimeSpan s_longestArm = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private const int MaxRetainedCapacity = 4096;

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private DeadlineEntry[] _heap = new DeadlineEntry[16];
    private int _count;
    private long _armedFor = long.MaxValue;
    private bool _disposed;

    public DeadlineQueue(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _timer = timeProvider.CreateTimer(static state => ((DeadlineQueue)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Converts a span to <see cref="TimeProvider.GetTimestamp"/> units, saturating far below overflow.</summary>
    public long ToTimestampTicks(TimeSpan span)
    {
        var ticks = (Int128)span.Ticks * _timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond;
        return ticks > long.MaxValue / 4 ? long.MaxValue / 4 : Math.Max(1, (long)ticks);
    }

    /// <summary>Queues <paramref name="entry"/> (not queued now) to be woken at <paramref name="due"/>.</summary>
    public void Add(DeadlineEntry entry, long due)
    {
        lock (_lock)
        {
            Debug.Assert(entry.HeapIndex < 0, "An entry is queued once at a time.");
            if (_disposed)
            {
                return;
            }

            if (_count == _heap.Length)
            {
                Array.Resize(ref _heap, _count * 2);
            }

            entry.Due = due;
            entry.HeapIndex = _count;
            _heap[_count++] = entry;
            SiftUp(entry.HeapIndex);
            ArmUnderLock();
        }
    }

    /// <summary>Takes <paramref name="entry"/> out of the queue if it is in it.</summary>
    public void Remove(DeadlineEntry entry)
    {
        lock (_lock)
        {
            RemoveUnderLock(entry);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;

            // The entries leave the queue too: an attempt that ends after the manager's disposal removes its entry,
            // and one that still looked queued would take the count below zero.
            for (var i = 0; i < _count; i++)
            {
                _heap[i].HeapIndex = -1;
            }

            Array.Clear(_heap, 0, _count);
            _count = 0;
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
            while (_count > 0 && _heap[0].Due <= now)
            {
                var entry = _heap[0];
                RemoveUnderLock(entry);
                (due ??= []).Add(entry);
            }

            _armedFor = long.MaxValue;
            ArmUnderLock();
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

    private void RemoveUnderLock(DeadlineEntry entry)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        var index = entry.HeapIndex;
        if (index < 0)
        {
            return;
        }

        entry.HeapIndex = -1;
        var last = _heap[--_count];
        _heap[_count] = null!;
        if (index < _count)
        {
            _heap[index] = last;
            last.HeapIndex = index;
            SiftUp(index);
            SiftDown(last.HeapIndex);
        }
        else if (_count == 0 && _heap.Length > MaxRetainedCapacity)
        {
            // A burst must not pin its peak heap for the life of the manager.
            _heap = new DeadlineEntry[16];
        }
    }

    private void ArmUnderLock()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (_count == 0 || _disposed || _heap[0].Due >= _armedFor)
        {
            return;
        }

        _armedFor = _heap[0].Due;

        // Never less than one tick: a timer due at once may fire inside Change on some providers, and the
        // callback must not run while this lock is held.
        var wait = _timeProvider.GetElapsedTime(_timeProvider.GetTimestamp(), _armedFor);
        wait = wait < TimeSpan.FromTicks(1) ? TimeSpan.FromTicks(1) : wait > s_longestArm ? s_longestArm : wait;
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    private void SiftUp(int index)
    {
        var entry = _heap[index];
        while (index > 0)
        {
            var parentIndex = (index - 1) / 2;
            var parent = _heap[parentIndex];
            if (parent.Due <= entry.Due)
            {
                break;
            }

            _heap[index] = parent;
            parent.HeapIndex = index;
            index = parentIndex;
        }

        _heap[index] = entry;
        entry.HeapIndex = index;
    }

    private void SiftDown(int index)
    {
        var entry = _heap[index];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && _heap[child + 1].Due < _heap[child].Due)
            {
                child++;
            }

            if (_heap[child].Due >= entry.Due)
            {
                break;
            }

            _heap[index] = _heap[child];
            _heap[index].HeapIndex = index;
            index = child;
        }

        _heap[index] = entry;
        entry.HeapIndex = index;
    }
}
