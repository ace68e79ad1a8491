using System.Diagnostics;

namespace BackgroundTasks;

/// <summary>The last events of one owner thread, oldest first, at most a fixed number; the oldest leaves when a new one comes.</summary>
/// <remarks>
/// The buffer grows by doubling up to the capacity instead of being allocated at full size, so a thread that had a
/// handful of events costs a handful of slots, not <see cref="BackgroundTaskManagerOptions.EventReplayCapacityPerOwner"/>.
/// Not thread-safe: its owner's lock guards it.
/// </remarks>
internal sealed class EventRing(int capacity)
{
    private TaskEvent[] _items = [];
    private int _head;
    private int _count;

    public int Count => _count;

    /// <summary>Whether anything is retained at all (the capacity is not 0).</summary>
    public bool IsEnabled => capacity != 0;

    /// <summary>The sequence of the oldest retained event; 0 when none is retained.</summary>
    public long OldestSequence => _count == 0 ? 0 : _items[_head].Sequence;

    public void Add(TaskEvent item)
    {
        if (capacity == 0)
        {
            return;
        }

        if (_count == _items.Length && _items.Length < capacity)
        {
            Grow();
        }

        if (_count < _items.Length)
        {
            _items[(_head + _count) % _items.Length] = item;
            _count++;
        }
        else
        {
            // Full at capacity: the new event takes the oldest one's slot.
            _items[_head] = item;
            _head = (_head + 1) % _items.Length;
        }
    }

    /// <summary>Calls <paramref name="action"/> with every retained event whose sequence is greater than <paramref name="after"/>, oldest first.</summary>
    public void ForEachAfter<TState>(long after, TState state, Action<TState, TaskEvent> action)
    {
        // Sequences are consecutive, so the first event to replay is found by arithmetic, not by a search.
        var skip = _count == 0 ? 0 : (int)Math.Clamp(after - OldestSequence + 1, 0, _count);
        for (var i = skip; i < _count; i++)
        {
            var item = _items[(_head + i) % _items.Length];
            Debug.Assert(item.Sequence > after);
            action(state, item);
        }
    }

    private void Grow()
    {
        var grown = new TaskEvent[Math.Min(capacity, Math.Max(4, _items.Length * 2))];
        for (var i = 0; i < _count; i++)
        {
            grown[i] = _items[(_head + i) % _items.Length];
        }

        _items = grown;
        _head = 0;
    }
}
