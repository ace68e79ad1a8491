using BackgroundTasks.Reactive;

namespace BackgroundTasks;

/// <summary>
/// Delivers one task's events, in order, to the owner inbox bound at spawn time and to the manager's
/// <see cref="BackgroundTaskManager.Events"/>; refuses everything after the terminal event.
/// </summary>
/// <remarks>
/// Delivery runs user code (the inbox's closed callback, a user's target block, event observers), so it
/// happens outside the lock: whoever finds the channel idle delivers, and events published meanwhile
/// by other threads are queued and delivered by that same thread, which keeps emit order per task.
/// </remarks>
internal sealed class TaskEventChannel(InboxSender? ownerInbox, Broadcaster<TaskEvent> events, ManagerDiagnostics diagnostics)
{
    private readonly Lock _lock = new();
    private Queue<TaskEvent>? _pending;
    private bool _delivering;
    private bool _closed;

    // Set when the terminal event had to be queued behind a delivery running on another thread (a body still emitting
    // while its task ends elsewhere: a timeout, an abandonment); completed once that thread has delivered it.
    private TaskCompletionSource? _terminalDelivered;

    /// <summary>Publishes a custom event; whether the owner inbox took it (false after the terminal event).</summary>
    public bool Publish(TaskEvent message) => Enqueue(message, terminal: false);

    /// <summary>Publishes the terminal event of <paramref name="terminal"/>, after which the channel refuses everything.</summary>
    /// <returns>
    /// A task that completes once the terminal event has been delivered: at once, unless another thread was delivering
    /// this task's events, which then delivers the terminal event after them. Waiters wake only after it.
    /// </returns>
    /// <remarks>
    /// With no owner inbox and no observer of Events, nobody could receive the event, so the channel just
    /// closes without building it. An observer subscribing at that very moment may miss it, as it may miss
    /// any value of a hot stream it races with.
    /// </remarks>
    public Task PublishTerminal(TaskSummary terminal)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return Task.CompletedTask;
            }

            if (!_delivering && ownerInbox is null && !events.HasObservers)
            {
                _closed = true;
                return Task.CompletedTask;
            }
        }

        Enqueue(TaskOutcome.ToEvent(terminal), terminal: true);
        lock (_lock)
        {
            return _terminalDelivered?.Task ?? Task.CompletedTask;
        }
    }

    private bool Enqueue(TaskEvent message, bool terminal)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _closed = terminal;
            if (_delivering)
            {
                (_pending ??= new Queue<TaskEvent>()).Enqueue(message);
                if (terminal)
                {
                    _terminalDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return ownerInbox is { IsClosed: false };
            }

            _delivering = true;
        }

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
            lock (_lock)
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
            diagnostics.DeliveryFault(exception, message.TaskId);
        }

        try
        {
            events.OnNext(message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            diagnostics.DeliveryFault(exception, message.TaskId);
        }

        return accepted;
    }
}
