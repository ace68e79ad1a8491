namespace BackgroundTasks.Orleans.Tests.TestSupport;

/// <summary>An ObserveThreadEvents subscriber that keeps what it received and lets a test await a state of it.</summary>
internal sealed class ObservedEvents : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<TaskEvent> _events = [];
    private readonly ConditionWaiters<IReadOnlyList<TaskEvent>> _waiters = new();
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
        lock (_lock)
        {
            return _waiters.Add(_events, condition);
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void OnNext(TaskEvent taskEvent)
    {
        List<TaskCompletionSource> release;
        lock (_lock)
        {
            _events.Add(taskEvent);
            release = _waiters.TakeSatisfied(_events);
        }

        release.ForEach(done => done.TrySetResult());
    }

    private void OnError(Exception error)
    {
        List<TaskCompletionSource> release;
        lock (_lock)
        {
            release = _waiters.TakeAll();
        }

        release.ForEach(done => done.TrySetException(error));
    }
}
