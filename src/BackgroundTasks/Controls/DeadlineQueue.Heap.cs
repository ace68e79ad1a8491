using System.Diagnostics;

namespace BackgroundTasks;

/// <content>The binary min-heap that holds the deadlines no lane takes (see <c>DeadlineQueue.Lanes.cs</c>).</content>
internal sealed partial class DeadlineQueue
{
    private const int MaxRetainedCapacity = 4096;

    private DeadlineEntry[] _heap = new DeadlineEntry[16];
    private int _heapCount;

    private void AddToHeapUnderLock(DeadlineEntry entry)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (_heapCount == _heap.Length)
        {
            Array.Resize(ref _heap, _heapCount * 2);
        }

        entry.HeapIndex = _heapCount;
        _heap[_heapCount++] = entry;
        SiftUp(entry.HeapIndex);
    }

    private void RemoveFromHeapUnderLock(DeadlineEntry entry)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread && entry.HeapIndex >= 0);
        var index = entry.HeapIndex;
        entry.HeapIndex = -1;
        var last = _heap[--_heapCount];
        _heap[_heapCount] = null!;
        if (index < _heapCount)
        {
            _heap[index] = last;
            last.HeapIndex = index;
            SiftUp(index);
            SiftDown(last.HeapIndex);
        }
        else if (_heapCount == 0 && _heap.Length > MaxRetainedCapacity)
        {
            // A burst must not pin its peak heap for the life of the manager.
            _heap = new DeadlineEntry[16];
        }
    }

    /// <summary>Empties the heap at disposal: its entries count as not queued.</summary>
    private void ClearHeapUnderLock()
    {
        for (var i = 0; i < _heapCount; i++)
        {
            _heap[i].HeapIndex = -1;
            Volatile.Write(ref _heap[i].QueueState, DeadlineEntry.Idle);
        }

        Array.Clear(_heap, 0, _heapCount);
        _heapCount = 0;
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
            if (child >= _heapCount)
            {
                break;
            }

            if (child + 1 < _heapCount && _heap[child + 1].Due < _heap[child].Due)
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
