using System.Diagnostics;
using BackgroundTasks.Caching;

namespace BackgroundTasks;

/// <summary>
/// One owner thread's event stream: numbers every event its tasks publish (1, 2, 3, ...), keeps the last ones for
/// replay, and delivers each, in number order, to the thread's <see cref="BackgroundTaskManager.ObserveEvents(string, long?)"/>
/// observers. (The owner inbox and the manager's Events get a task's events from its <see cref="TaskEventChannel"/>, in
/// the task's order, so an inbox that blocks holds up its own tasks only, not the whole thread.)
/// </summary>
/// <remarks>
/// <para>
/// The number is assigned, the event retained and its delivery queued in one critical section, so the order of the
/// numbers is the order every observer of the thread sees, and a subscriber that replays from the ring and then goes
/// live sees no gap and no duplicate. Delivery runs user code (inbox callbacks, target blocks, observers), so it
/// happens outside the lock through a <see cref="DeliveryQueue{T}"/>: whoever finds the queue idle delivers.
/// </para>
/// <para>
/// A log lives while its thread has live tasks, observers or records in the store; once none is left (retention
/// removed the thread's last record), it retires and the registry drops it, so idle threads cost nothing.
/// </para>
/// </remarks>
internal sealed partial class OwnerEventLog
{
    private readonly Lock _lock = new();
    private readonly OwnerEventLogs _logs;
    private readonly EventRing _retained;
    private readonly DeliveryQueue<Delivery> _queue;
    private Subscriber[] _subscribers = [];
    private long _lastSequence;
    // Counted without the lock on the spawn path (a spawn must not wait for the thread's deliveries); retiring
    // publishes _retired and then reads _liveTasks, a spawn the other way round, each with a full fence between, so
    // either the spawn sees the log retired and takes a new one, or the retirement sees the spawn and does not happen.
    private int _liveTasks;
    private bool _retireWhenIdle;
    private volatile bool _retired;
    private bool _completed;

    public OwnerEventLog(OwnerEventLogs logs, string ownerThreadId)
    {
        _logs = logs;
        OwnerThreadId = ownerThreadId;
        _retained = new EventRing(logs.ReplayCapacity);
        _queue = new DeliveryQueue<Delivery>(_lock, Deliver);
    }

    public string OwnerThreadId { get; }

    /// <summary>
    /// The log's lock, which also guards the <see cref="TaskEventChannel"/> of each of the thread's tasks: a task's
    /// events are numbered here anyway, so one critical section numbers an event and claims its delivery, and a task
    /// costs no lock of its own.
    /// </summary>
    internal Lock Gate => _lock;

    /// <summary>Counts a task being spawned for the thread; false when the log has retired (take a new one).</summary>
    public bool TryAttachTask()
    {
        Interlocked.Increment(ref _liveTasks);
        if (_retired)
        {
            Interlocked.Decrement(ref _liveTasks);
            return false;
        }

        return true;
    }

    /// <summary>Numbers a custom event, retains it and queues it for the thread's observers. Under <see cref="Gate"/>.</summary>
    /// <param name="message">The event, numbered as a copy.</param>
    /// <param name="deliver">Whether the caller must call <see cref="Deliver()"/> once it holds no lock.</param>
    public TaskEvent AppendLocked(TaskEvent message, out bool deliver)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        var numbered = message with { Sequence = ++_lastSequence };
        deliver = AppendLocked(numbered);
        return numbered;
    }

    /// <summary>Numbers the terminal event of a task, which leaves the log. Under <see cref="Gate"/>.</summary>
    /// <param name="terminal">The terminal record.</param>
    /// <param name="wanted">Whether the task's inbox or the manager's Events would take the event.</param>
    /// <param name="deliver">Whether the caller must call <see cref="Deliver()"/> once it holds no lock.</param>
    /// <param name="retire">Whether the log retired: the caller must call <see cref="Retire"/> once it holds no lock.</param>
    /// <returns>The numbered event; null when nobody could ever see it (then it is not built, but its number is used).</returns>
    public TaskEvent? AppendTerminalLocked(TaskSummary terminal, bool wanted, out bool deliver, out bool retire)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        TaskEvent? numbered = null;
        Interlocked.Decrement(ref _liveTasks);
        var sequence = ++_lastSequence;
        deliver = false;
        if (wanted || _subscribers.Length != 0 || _retained.IsEnabled)
        {
            numbered = TaskOutcome.ToEvent(terminal, sequence);
            deliver = AppendLocked(numbered);
        }

        retire = _retireWhenIdle && TryRetireLocked(checkStore: true);
        return numbered;
    }

    /// <summary>Drops the retired log from the registry, after <see cref="AppendTerminalLocked"/> said so and outside every lock.</summary>
    public void Retire() => _logs.Remove(this);

    /// <summary>Delivers what is queued for the thread's observers; only after an append said so, and outside every lock.</summary>
    public void Deliver() => _queue.Deliver();

    /// <summary>A spawn that was abandoned before its body ran leaves the log.</summary>
    public void Detach() => Interlocked.Decrement(ref _liveTasks);

    /// <summary>The store holds no record of the thread any more: retire now if nothing else keeps the log, or once idle.</summary>
    public void OnOwnerEmptied()
    {
        var retire = false;
        lock (_lock)
        {
            retire = TryRetireLocked(checkStore: false);
            _retireWhenIdle = !retire;
        }

        if (retire)
        {
            _logs.Remove(this);
        }
    }

    /// <summary>Completes every observer (the manager is disposed); later subscribers are completed at once.</summary>
    public void Complete()
    {
        bool deliver;
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            foreach (var subscriber in _subscribers)
            {
                _queue.Enqueue(new Delivery(null, null, subscriber));
            }

            _subscribers = [];
            deliver = _queue.TryBeginDelivery();
        }

        if (deliver)
        {
            _queue.Deliver();
        }
    }

    /// <summary>Retains a numbered event and queues its delivery to the current observers; whether the caller must deliver. Under the lock.</summary>
    private bool AppendLocked(TaskEvent numbered)
    {
        _retained.Add(numbered);
        if (_subscribers.Length == 0)
        {
            return false;
        }

        _queue.Enqueue(new Delivery(numbered, _subscribers, null));
        return _queue.TryBeginDelivery();
    }

    /// <summary>Retires the log if nothing keeps it: no live task, no observer, no record in the store. Under the lock.</summary>
    /// <param name="checkStore">False when the store has just said the thread has no record left.</param>
    private bool TryRetireLocked(bool checkStore)
    {
        if (_retired || _subscribers.Length != 0 || (checkStore && _logs.OwnerHasRecords(OwnerThreadId)))
        {
            return false;
        }

        _retired = true;
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _liveTasks) != 0)
        {
            // A spawn is attaching (or live): it keeps the log. It may have seen the flag and backed off; it retries.
            _retired = false;
            return false;
        }

        return true;
    }

    /// <summary>Runs user code: called by the delivery queue outside the lock, never concurrently.</summary>
    private void Deliver(Delivery delivery)
    {
        if (delivery.Single is { } single)
        {
            single.Deliver(delivery.Event, _logs.Diagnostics);
            return;
        }

        foreach (var subscriber in delivery.Targets!)
        {
            subscriber.Deliver(delivery.Event, _logs.Diagnostics);
        }
    }

    /// <summary>
    /// An event for the subscribers of the moment it was published; or, with <see cref="Single"/>, a replayed event
    /// (or, when <see cref="Event"/> is null, the completion) for one subscriber.
    /// </summary>
    private readonly record struct Delivery(TaskEvent? Event, Subscriber[]? Targets, Subscriber? Single);
}
