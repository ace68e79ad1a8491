using System.Reactive.Disposables;

namespace BackgroundTasks;

internal sealed partial class OwnerEventLog
{
    /// <summary>
    /// Subscribes <paramref name="observer"/>: the retained events after <paramref name="afterSequence"/> (none when it is
    /// null), then live ones; or fails it with <see cref="EventsExpiredException"/> when that would leave a gap.
    /// </summary>
    /// <returns>The subscription; null when the log has retired (subscribe to a new one).</returns>
    public IDisposable? TrySubscribe(IObserver<TaskEvent> observer, long? afterSequence)
    {
        var subscriber = new Subscriber(this, observer);
        EventsExpiredException? expired = null;
        bool completed;
        var deliver = false;
        lock (_lock)
        {
            if (_retired)
            {
                return null;
            }

            completed = _completed || _logs.IsCompleted;
            if (!completed && afterSequence is { } after)
            {
                // A number beyond the last one comes from an earlier numbering (a restart, or a retired log): what
                // followed it is gone. Below the last one, the next event must still be retained.
                var oldest = _retained.OldestSequence;
                if (after > _lastSequence || (after < _lastSequence && (oldest == 0 || oldest > after + 1)))
                {
                    expired = new EventsExpiredException(OwnerThreadId, after, oldest);
                }
                else
                {
                    _retained.ForEachAfter(after, (_queue, subscriber), static (state, message) =>
                        state._queue.Enqueue(new Delivery(message, null, null, state.subscriber)));
                }
            }

            if (!completed && expired is null)
            {
                _subscribers = [.. _subscribers, subscriber];
                deliver = _queue.TryBeginDelivery();
            }
        }

        // The subscriber is not registered in either case, so nothing else can call it meanwhile.
        if (expired is not null)
        {
            observer.OnError(expired);
            return Disposable.Empty;
        }

        if (completed)
        {
            observer.OnCompleted();
            return Disposable.Empty;
        }

        if (deliver)
        {
            _queue.Deliver();
        }

        return subscriber;
    }

    private void Unsubscribe(Subscriber subscriber)
    {
        var retire = false;
        lock (_lock)
        {
            var index = Array.IndexOf(_subscribers, subscriber);
            if (index < 0)
            {
                return;
            }

            _subscribers = [.. _subscribers.AsSpan(0, index), .. _subscribers.AsSpan(index + 1)];

            // A client that watched a thread with no records (nothing spawned yet, or all pruned) leaves nothing behind.
            retire = TryRetireLocked();
        }

        if (retire)
        {
            _logs.Remove(this);
        }
    }

    private sealed class Subscriber(OwnerEventLog log, IObserver<TaskEvent> observer) : IDisposable
    {
        private int _stopped;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 0)
            {
                log.Unsubscribe(this);
            }
        }

        /// <summary>Delivers an event, or the completion when <paramref name="message"/> is null. Deliverer only.</summary>
        /// <remarks>Checked before every call, so disposing inside <c>OnNext</c> stops delivery at once.</remarks>
        public void Deliver(TaskEvent? message, ManagerDiagnostics diagnostics)
        {
            if (Volatile.Read(ref _stopped) != 0)
            {
                return;
            }

            if (message is null)
            {
                Volatile.Write(ref _stopped, 1);
                observer.OnCompleted();
                return;
            }

            try
            {
                observer.OnNext(message);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // One observer's failure is reported and never stops delivery to the others.
                diagnostics.DeliveryFault(exception, message.TaskId);
            }
        }
    }
}
