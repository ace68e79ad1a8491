using System.Diagnostics;

namespace BackgroundTasks.AI;

/// <summary>
/// This thread's tasks that ended and have not been reported yet, taken in from the thread's numbered event stream
/// (<see cref="ThreadTasks.ObserveEvents(long?)"/>).
/// </summary>
/// <remarks>
/// <para>
/// It listens live from the moment it is created, so tasks that had already ended are not news. Each terminal event
/// becomes one <see cref="EndedTask"/> as it arrives: status and result or error from the event, the name from the record
/// read then. A task that a retention limit prunes before the next call is therefore still reported. The cursor is the
/// sequence of the last event taken in; the stream numbers a thread's events 1, 2, 3, ..., so resuming after the cursor
/// neither misses nor repeats one.
/// </para>
/// <para>
/// A take reserves up to a number of ended tasks, oldest end first, and they leave the feed; a notice that did not
/// reach the model is released, so its tasks come back. Overlapping calls thus never report a task twice, and a failed
/// call loses none.
/// </para>
/// <para>
/// Memory is bounded: at most its capacity of ended tasks is held. When one more ends, the feed stops listening and
/// keeps its cursor; the next take, having made room, resumes from the cursor out of the manager's replay ring
/// (<see cref="BackgroundTaskManagerOptions.EventReplayCapacityPerOwner"/> events per thread). If the ring no longer
/// holds the event after the cursor (<see cref="EventsExpiredException"/>), the feed resumes with the oldest event the
/// ring still holds (live when it holds none), so whatever can still be known is reported, and the next notice says
/// that other tasks may have ended unlisted.
/// </para>
/// </remarks>
internal sealed partial class EndedTaskFeed : IDisposable
{
    /// <summary>Most ended tasks held between two calls unless told otherwise: five full notices.</summary>
    public const int DefaultCapacity = 5 * TaskNotice.MaxTasks;

    private readonly Lock _lock = new();
    private readonly ThreadTasks _tasks;
    private readonly int _capacity;
    private readonly PriorityQueue<EndedTask, long> _pending = new();
    private Listener? _listener;
    private long? _cursor;
    private bool _gap;
    private bool _completed;
    private bool _disposed;

    public EndedTaskFeed(ThreadTasks tasks, int capacity = DefaultCapacity)
    {
        Debug.Assert(capacity > 0);
        _tasks = tasks;
        _capacity = capacity;
        Listen();
    }

    /// <summary>Reserves up to <paramref name="max"/> ended tasks not reported yet, oldest end first.</summary>
    /// <returns>The batch; <see cref="EndedTaskBatch.IsEmpty"/> when there is no news.</returns>
    public EndedTaskBatch Take(int max)
    {
        // A stream that failed since the last take resumes first, so what it replays can be in this notice.
        Listen();
        List<EndedTask>? taken = null;
        bool gap;
        lock (_lock)
        {
            while ((taken?.Count ?? 0) < max && _pending.TryDequeue(out var ended, out _))
            {
                (taken ??= []).Add(ended);
            }

            gap = _gap;
            _gap = false;
        }

        // Taking made room: a feed that stopped because it was full resumes from its cursor now.
        Listen();
        return taken is null && !gap ? EndedTaskBatch.Empty : new EndedTaskBatch(taken ?? [], gap);
    }

    /// <summary>The notice of <paramref name="batch"/> did not reach the model: its tasks come back, to be reported next.</summary>
    public void Release(EndedTaskBatch batch)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            foreach (var ended in batch.Tasks)
            {
                _pending.Enqueue(ended, ended.Sequence);
            }

            _gap |= batch.Gap;
        }
    }

    /// <summary>Stops listening and forgets what was not reported.</summary>
    public void Dispose()
    {
        Listener? listener;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            listener = _listener;
            _listener = null;
            _pending.Clear();
        }

        listener?.Stop();
    }
}
