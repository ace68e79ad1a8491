namespace BackgroundTasks.Orleans.Tests.TestSupport;

/// <summary>An ObserveThreadEvents subscriber that keeps what it received and lets a test await a state of it.</summary>
internal sealed class ObservedEvents : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<TaskEvent> _events = [];
    private readonly List<(Func<IReadOnlyList<TaskEvent>, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private readonly IDisposable _subscription;

    public ObservedEvents(IObservable<TaskEvent> events) => _subscription = events.Subscribe(OnNext, OnError);

    public IReadOnlyList<TaskEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public Task WhenAsync(Func<IReadOnlyList<TaskEvent>, bool> condition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (condition(_events))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((condition, done));
        }

        return done.Task;
    }

    public void Dispose() => _subscription.Dispose();

    private void OnNext(TaskEvent taskEvent)
    {
        List<TaskCompletionSource> release = [];
        lock (_lock)
        {
            _events.Add(taskEvent);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_events))
                {
                    release.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        release.ForEach(done => done.TrySetResult());
    }

    private void OnError(Exception error)
    {
        List<TaskCompletionSource> release;
        lock (_lock)
        {
            release = [.. _waiters.Select(waiter => waiter.Done)];
            _waiters.Clear();
        }

        release.ForEach(done => done.TrySetException(error));
    }
}
