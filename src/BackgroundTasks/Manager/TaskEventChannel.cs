namespace BackgroundTasks;

/// <summary>
/// Delivers one task's events, in order, to the owner inbox bound at spawn time and to the manager's
/// <see cref="BackgroundTaskManager.Events"/>; has each numbered by its thread's <see cref="OwnerEventLog"/> (which
/// delivers it to the thread's observers); refuses everything after the terminal event.
/// </summary>
/// <remarks>
/// <para>
/// Delivery runs user code (the inbox's closed callback, a user's target block, event observers), so it
/// happens outside the lock: whoever finds the channel idle delivers, and events published meanwhile
/// by other threads are queued and delivered by that same thread, which keeps emit order per task. The channel's
/// lock is its thread log's (<see cref="OwnerEventLog.Gate"/>): the number is taken in the same critical section that
/// claims the delivery, so the task's events are numbered in the order they are delivered here, and a task allocates
/// no lock of its own.
/// </para>
/// <para>
/// A <see cref="TaskRuntime"/> is its own channel (it derives from this class): one object per task instead of two, and
/// the manager reference serves both.
/// </para>
/// </remarks>
internal class TaskEventChannel(OwnerEventLog log, InboxSender? ownerInbox, BackgroundTaskManager manager)
{
    private protected readonly BackgroundTaskManager _manager = manager;
    private Queue<TaskEvent>? _pending;
    private bool _delivering;
    private bool _closed;

    // Set when the terminal event had to be queued behind a delivery running on another thread (a body still emitting
    // while its task ends elsewhere: a timeout, an abandonment); completed once that thread has delivered it.
    private TaskCompletionSource? _terminalDelivered;

    /// <summary>Publishes a custom event; whether the owner inbox took it (false after the terminal event).</summary>
    public bool Publish(TaskEvent message)
    {
        TaskEvent numbered;
        bool deliverToThread;
        bool deliver;
        var accepted = false;
        lock (log.Gate)
        {
            if (_closed)
            {
                return false;
            }

            numbered = log.AppendLocked(message, out deliverToThread);
            deliver = Claim(numbered, ref accepted);
        }

        if (deliverToThread)
        {
            log.Deliver();
        }

        return deliver ? DeliverAndDrain(numbered) : accepted;
    }

    /// <summary>Publishes the terminal event of <paramref name="terminal"/>, after which the channel refuses everything.</summary>
    /// <returns>
    /// A task that completes once the terminal event has been delivered: at once, unless another thread was delivering
    /// this task's events, which then delivers the terminal event after them. Waiters wake only after it.
    /// </returns>
    /// <remarks>
    /// With no owner inbox, no observer of Events, no observer of the thread and no replay, nobody could receive the event,
    /// so it is not built. An observer subscribing at that very moment may miss it, as it may miss any value of a hot
    /// stream it races with.
    /// </remarks>
    public Task PublishTerminal(TaskSummary terminal)
    {
        TaskEvent? numbered;
        bool deliverToThread;
        bool retire;
        var deliver = false;
        var accepted = false;
        TaskCompletionSource? queuedBehind = null;
        lock (log.Gate)
        {
            if (_closed)
            {
                return Task.CompletedTask;
            }

            _closed = true;
            numbered = log.AppendTerminalLocked(terminal, _delivering || ownerInbox is not null || _manager.EventStream.HasObservers, out deliverToThread, out retire);
            if (numbered is not null)
            {
                deliver = Claim(numbered, ref accepted);
                if (!deliver)
                {
                    queuedBehind = _terminalDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }

        if (retire)
        {
            log.Retire();
        }

        if (deliverToThread)
        {
            log.Deliver();
        }

        if (deliver)
        {
            // The channel closed in the critical section that made this thread the deliverer, and nothing was
            // queued then (a deliverer leaves only once the queue is empty), so nothing can be queued behind the
            // terminal event: it is delivered alone, without the drain's two more trips through the lock.
            Deliver(numbered!);
        }

        return queuedBehind?.Task ?? Task.CompletedTask;
    }

    /// <summary>Closes the channel of a spawn that was abandoned before its body ran.</summary>
    public void Close()
    {
        lock (log.Gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        log.Detach();
    }

    /// <summary>Takes the deliverer role, or queues the event for the thread that has it. Under the lock.</summary>
    private bool Claim(TaskEvent numbered, ref bool accepted)
    {
        if (_delivering)
        {
            (_pending ??= new Queue<TaskEvent>()).Enqueue(numbered);
            accepted = ownerInbox is { IsClosed: false };
            return false;
        }

        _delivering = true;
        return true;
    }

    private bool DeliverAndDrain(TaskEvent message)
    {
        var accepted = false;
        try
        {
            accepted = Deliver(message);
        }
        finally
        {
            DrainPending();
        }

        return accepted;
    }

    private void DrainPending()
    {
        while (true)
        {
            TaskEvent? next;
            TaskCompletionSource? terminalDelivered = null;
            lock (log.Gate)
            {
                if (_pending is null || !_pending.TryDequeue(out next))
                {
                    next = null;
                    _delivering = false;
                    terminalDelivered = _terminalDelivered;
                }
            }

            if (next is null)
            {
                // The queue is empty: a terminal event queued behind this thread's deliveries (the last event of the
                // task) has been delivered, and whoever ended the task may wake its waiters.
                terminalDelivered?.TrySetResult();
                return;
            }

            Deliver(next);
        }
    }

    private bool Deliver(TaskEvent message)
    {
        var accepted = false;
        try
        {
            // Send (not TrySend): a closed inbox's callback must see custom and terminal events alike.
            accepted = ownerInbox?.Send(message) ?? false;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A throwing closed-callback or user target must not stop the task's other events,
            // nor its terminal bookkeeping; the event still reaches Events below.
            _manager.Diagnostics.DeliveryFault(exception, message.TaskId);
        }

        try
        {
            _manager.EventStream.OnNext(message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _manager.Diagnostics.DeliveryFault(exception, message.TaskId);
        }

        return accepted;
    }
}
