using System.Diagnostics;

namespace BackgroundTasks;

/// <summary>
/// <see cref="BackgroundTaskManagerOptions.MaxRunningPerOwner"/> and <see cref="BackgroundTaskManagerOptions.MaxQueuedPerOwner"/>:
/// per owner thread, how many top-level tasks hold a run slot and which tasks wait for one, in spawn order.
/// </summary>
/// <remarks>
/// <para>
/// A manager creates one only when a running limit is set, so the spawn path without a limit never reaches it.
/// </para>
/// <para>
/// A slot is handed from an ending task straight to the head of its owner's queue, so a lane's queue is
/// non-empty only while all its slots are taken (except while the manager is disposed, when slots are no longer
/// handed over): a new spawn can never overtake a queued one. The id of a task
/// that goes through the gate is taken under the gate's lock, so the queue order is the id order (the spawn order).
/// </para>
/// <para>
/// Every critical section is a few dictionary and list operations; no user code runs under the lock.
/// <see cref="TaskRuntime.QueueNode"/> is read and written only under it.
/// </para>
/// </remarks>
internal sealed class OwnerConcurrencyGate
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly int _maxRunning;
    private readonly int _maxQueued;

    public OwnerConcurrencyGate(int maxRunning, int? maxQueued)
    {
        Debug.Assert(maxRunning >= 1 && maxQueued is null or >= 1, "The options were validated.");
        _maxRunning = maxRunning;
        _maxQueued = maxQueued ?? int.MaxValue;
    }

    /// <summary>What <see cref="Admit"/> decided.</summary>
    public enum Admission
    {
        /// <summary>The task holds a run slot and starts now.</summary>
        Run,

        /// <summary>The task waits at the end of its owner's queue.</summary>
        Queue,

        /// <summary>The queue is full; no id was taken.</summary>
        Full,
    }

    /// <summary>The queue limit, for the message of a refused spawn.</summary>
    public int MaxQueued => _maxQueued;

    /// <summary>
    /// Gives <paramref name="runtime"/> a run slot or a place in its owner's queue, and takes its id number from
    /// <paramref name="lastId"/> in the same lock hold.
    /// </summary>
    public Admission Admit(string ownerThreadId, TaskRuntime runtime, ref long lastId, out long number)
    {
        lock (_lock)
        {
            if (!_lanes.TryGetValue(ownerThreadId, out var lane))
            {
                lane = new Lane();
                _lanes.Add(ownerThreadId, lane);
            }

            if (lane.Running < _maxRunning)
            {
                lane.Running++;
                runtime.HoldsRunSlot = 1;
                number = Interlocked.Increment(ref lastId);
                return Admission.Run;
            }

            if (lane.Queue.Count >= _maxQueued)
            {
                number = -1;
                return Admission.Full;
            }

            number = Interlocked.Increment(ref lastId);

            // Set before the lock is released: from then on an ending task may hand this one its slot.
            runtime.Queued = new QueuedStart(ExecutionContext.Capture());
            runtime.QueueNode = lane.Queue.AddLast(runtime);
            return Admission.Queue;
        }
    }

    /// <summary>
    /// Frees a run slot of <paramref name="ownerThreadId"/>. With <paramref name="handOver"/>, the slot passes to the
    /// head of the queue, which is returned (it now holds the slot and must be started); otherwise null.
    /// </summary>
    public TaskRuntime? Release(string ownerThreadId, bool handOver)
    {
        lock (_lock)
        {
            var lane = _lanes[ownerThreadId];
            if (handOver && lane.Queue.First is { } head)
            {
                lane.Queue.Remove(head);
                var next = head.Value;
                next.QueueNode = null;
                next.HoldsRunSlot = 1;
                return next;
            }

            lane.Running--;
            RemoveIfIdle(ownerThreadId, lane);
            return null;
        }
    }

    /// <summary>Takes a queued task out of its queue; false when it has already left it (started, or taken out before).</summary>
    public bool TryWithdraw(TaskRuntime runtime)
    {
        lock (_lock)
        {
            if (runtime.QueueNode is not { } node)
            {
                return false;
            }

            var ownerThreadId = runtime.Running.OwnerThreadId;
            var lane = _lanes[ownerThreadId];
            lane.Queue.Remove(node);
            runtime.QueueNode = null;
            RemoveIfIdle(ownerThreadId, lane);
            return true;
        }
    }

    // Lanes of owners with nothing running or queued are dropped, so a long-lived manager that saw a million
    // conversations does not keep a million lanes.
    private void RemoveIfIdle(string ownerThreadId, Lane lane)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (lane.Running == 0 && lane.Queue.Count == 0)
        {
            _lanes.Remove(ownerThreadId);
        }
    }

    private sealed class Lane
    {
        public int Running;

        public readonly LinkedList<TaskRuntime> Queue = new();
    }
}
