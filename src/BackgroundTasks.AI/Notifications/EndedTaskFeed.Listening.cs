namespace BackgroundTasks.AI;

internal sealed partial class EndedTaskFeed
{
    // A resume that fails at once (the ring moved on meanwhile) is tried again from where the failure says; past
    // this many tries in one go, the next take tries again.
    private const int MaxListenAttempts = 3;

    /// <summary>
    /// Subscribes to the thread's events after the cursor (live when there is none), unless the feed is listening
    /// already, full, completed or disposed.
    /// </summary>
    /// <remarks>
    /// Outside the lock: the stream may call back at once on this thread, with the replay or with the error saying it
    /// cannot replay. The listener is made current before subscribing, so a concurrent take does not subscribe twice.
    /// </remarks>
    private void Listen()
    {
        for (var attempt = 0; attempt < MaxListenAttempts; attempt++)
        {
            Listener listener;
            long? after;
            lock (_lock)
            {
                if (_listener is not null || _completed || _disposed || _pending.Count >= _capacity)
                {
                    return;
                }

                listener = new Listener(this);
                _listener = listener;
                after = _cursor;
            }

            try
            {
                listener.Attach(_tasks.ObserveEvents(after).Subscribe(listener));
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Never out of the chat client: as a stream that failed, so the next take tries again.
                OnError(listener, exception);
            }
        }
    }

    private void OnEvent(Listener listener, TaskEvent message)
    {
        // Read before taking the lock: the record is the manager's, and this lock is held over nothing but our own state.
        var ended = EndedTask.From(message, _tasks);
        var full = false;
        lock (_lock)
        {
            if (listener != _listener || message.Sequence <= _cursor)
            {
                return;
            }

            if (ended is not null && _pending.Count >= _capacity)
            {
                // Stop here. The cursor stays just before this event, so resuming from it starts with this event.
                _listener = null;
                full = true;
            }
            else
            {
                _cursor = message.Sequence;
                if (ended is not null)
                {
                    _pending.Enqueue(ended, ended.Sequence);
                }
            }
        }

        if (full)
        {
            listener.Stop();
        }
    }

    private void OnError(Listener listener, Exception error)
    {
        lock (_lock)
        {
            if (listener != _listener)
            {
                return;
            }

            _listener = null;
            if (error is EventsExpiredException expired)
            {
                // The cursor fell out of the manager's replay ring: the events in between are lost to the stream.
                // Resume with the oldest one still retained (live when none is), and let the next notice say so.
                _gap = true;
                _cursor = expired.OldestRetained > 0 ? expired.OldestRetained - 1 : null;
            }
            else
            {
                // Any other failure: the next take resumes after the cursor. Without one, what ended meanwhile is unknown.
                _gap |= _cursor is null;
            }
        }

        listener.Stop();
    }

    private void OnCompleted(Listener listener)
    {
        lock (_lock)
        {
            if (listener != _listener)
            {
                return;
            }

            // The manager is disposed: nothing more will end.
            _listener = null;
            _completed = true;
        }
    }

    /// <summary>The observer of one subscription; the feed ignores it once it is no longer the current one.</summary>
    private sealed class Listener(EndedTaskFeed feed) : IObserver<TaskEvent>
    {
        private IDisposable? _subscription;
        private int _stopped;

        public void OnNext(TaskEvent value) => feed.OnEvent(this, value);

        public void OnError(Exception error) => feed.OnError(this, error);

        public void OnCompleted() => feed.OnCompleted(this);

        /// <summary>Keeps the subscription, or disposes it at once if the listener was stopped while it was being made.</summary>
        public void Attach(IDisposable subscription)
        {
            // Both sides write with a full fence before they read the other's field, so one of them disposes it.
            Interlocked.Exchange(ref _subscription, subscription);
            if (Volatile.Read(ref _stopped) != 0)
            {
                Interlocked.Exchange(ref _subscription, null)?.Dispose();
            }
        }

        public void Stop()
        {
            Interlocked.Exchange(ref _stopped, 1);
            Interlocked.Exchange(ref _subscription, null)?.Dispose();
        }
    }
}
