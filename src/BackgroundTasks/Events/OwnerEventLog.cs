using BackgroundTasks.Caching;

namespace BackgroundTasks;

/// <summary>
/// One owner thread's event stream: numbers every event its tasks publish (1, 2, 3, ...), keeps the last ones for
/// replay, and delivers each, in number order, to the task's owner inbox, to the manager's Events and to the thread's
/// <see cref="BackgroundTaskManager.ObserveEvents(string, long?)"/> observers.
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
    private int _liveTasks;
    private bool _retireWhenIdle;
    private bool _retired;
    private bool _completed;

    public OwnerEventLog(OwnerEventLogs logs, string ownerThreadId)
    {
        _logs = logs;
        OwnerThreadId = ownerThreadId;
        _retained = new EventRing(logs.ReplayCapacity);
        _queue = new DeliveryQueue<Delivery>(_lock, Deliver);
    }

    public string OwnerThreadId { get; }

    /// <summary>Counts a task being spawned for the thread; false when the log has retired (take a new one).</summary>
    public bool TryAttachTask()
    {
        lock (_lock)
        {
            if (_retired)
            {
                return false;
            }

            _liveTasks++;
            return true;
        }
    }

    /// <summary>Numbers and delivers a custom event; false once the task's channel is closed.</summary>
    /// <returns>Whether the owner inbox is there to take it (it is delivered after the lock, maybe by another thread).</returns>
    public bool Publish(TaskEventChannel channel, TaskEvent message)
    {
        bool deliver;
        lock (_lock)
        {
            if (channel.IsClosed)
            {
                return false;
            }

            deliver = Append(channel, message with { Sequence = ++_lastSequence });
        }

        if (deliver)
        {
            _queue.Deliver();
        }

        return channel.OwnerInbox is { IsClosed: false };
    }

    /// <summary>Numbers and delivers the terminal event of <paramref name="terminal"/>, then closes the task's channel.</summary>
    public void PublishTerminal(TaskEventChannel channel, TaskSummary terminal)
    {
        bool deliver;
        var retire = false;
        lock (_lock)
        {
            if (channel.IsClosed)
            {
                return;
            }

            channel.IsClosed = true;
            _liveTasks--;
            var sequence = ++_lastSequence;

            // Nobody could ever see it (no inbox, no observer, no replay): keep the number, skip building the event.
            deliver = (channel.OwnerInbox is not null || _subscribers.Length != 0 || _retained.IsEnabled || _logs.Events.HasObservers)
                && Append(channel, TaskOutcome.ToEvent(terminal, sequence));
            retire = _retireWhenIdle && TryRetireLocked();
        }

        if (deliver)
        {
            _queue.Deliver();
        }

        if (retire)
        {
            _logs.Remove(this);
        }
    }

    /// <summary>Closes the channel of a spawn that was abandoned before its task ran.</summary>
    public void Detach(TaskEventChannel channel)
    {
        lock (_lock)
        {
            if (channel.IsClosed)
            {
                return;
            }

            channel.IsClosed = true;
            _liveTasks--;
        }
    }

    /// <summary>The store holds no record of the thread any more: retire now if nothing else keeps the log, or once idle.</summary>
    public void OnOwnerEmptied()
    {
        var retire = false;
        lock (_lock)
        {
            if (_liveTasks == 0 && _subscribers.Length == 0)
            {
                _retired = true;
                retire = true;
            }
            else
            {
                _retireWhenIdle = true;
            }
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
                _queue.Enqueue(new Delivery(null, null, null, subscriber));
            }

            _subscribers = [];
            deliver = _queue.TryBeginDelivery();
        }

        if (deliver)
        {
            _queue.Deliver();
        }
    }

    /// <summary>Retains a numbered event and queues its delivery; whether the caller must deliver. Under the lock.</summary>
    private bool Append(TaskEventChannel channel, TaskEvent numbered)
    {
        _retained.Add(numbered);
        _queue.Enqueue(new Delivery(numbered, channel.OwnerInbox, _subscribers, null));
        return _queue.TryBeginDelivery();
    }

    /// <summary>Retires the log if nothing keeps it: no live task, no observer, no record in the store. Under the lock.</summary>
    private bool TryRetireLocked()
    {
        if (_retired || _liveTasks != 0 || _subscribers.Length != 0 || _logs.OwnerHasRecords(OwnerThreadId))
        {
            return false;
        }

        _retired = true;
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

        var message = delivery.Event!;
        if (delivery.Inbox is { } inbox)
        {
            try
            {
                // Send (not TrySend): a closed inbox's callback must see custom and terminal events alike.
                inbox.Send(message);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A throwing closed-callback or user target must not stop the thread's other events.
                _logs.Diagnostics.DeliveryFault(exception, message.TaskId);
            }
        }

        try
        {
            _logs.Events.OnNext(message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _logs.Diagnostics.DeliveryFault(exception, message.TaskId);
        }

        foreach (var subscriber in delivery.Targets!)
        {
            subscriber.Deliver(message, _logs.Diagnostics);
        }
    }

    /// <summary>
    /// An event for the inbox, Events and the subscribers of the moment it was published; or, with
    /// <see cref="Single"/>, a replayed event (or, when <see cref="Event"/> is null, the completion) for one subscriber.
    /// </summary>
    private readonly record struct Delivery(TaskEvent? Event, InboxSender? Inbox, Subscriber[]? Targets, Subscriber? Single);
}
