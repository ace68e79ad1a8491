using BackgroundTasks.Caching;

namespace BackgroundTasks.Orleans.Tests.TestSupport;

/// <summary>A ConnectThread subscriber that replays its change sets into a view and lets a test await a state of it.</summary>
internal sealed class ObservedThread : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskSummary> _view = new(StringComparer.Ordinal);
    private readonly List<IChangeSet<TaskSummary, string>> _changeSets = [];
    private readonly ConditionWaiters<IReadOnlyDictionary<string, TaskSummary>> _waiters = new();
    private readonly IDisposable _subscription;
    private Exception? _error;

    public ObservedThread(IObservable<IChangeSet<TaskSummary, string>> changes) =>
        _subscription = changes.Subscribe(OnNext, OnError);

    public IReadOnlyList<IChangeSet<TaskSummary, string>> ChangeSets
    {
        get
        {
            lock (_lock)
            {
                return [.. _changeSets];
            }
        }
    }

    public Task WhenAsync(Func<IReadOnlyDictionary<string, TaskSummary>, bool> condition)
    {
        lock (_lock)
        {
            return _error is not null ? Task.FromException(_error) : _waiters.Add(_view, condition);
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void OnNext(IChangeSet<TaskSummary, string> changes)
    {
        List<TaskCompletionSource> release;
        lock (_lock)
        {
            _changeSets.Add(changes);
            foreach (var change in changes)
            {
                switch (change.Reason)
                {
                    case ChangeReason.Add:
                        Assert.False(_view.ContainsKey(change.Key), $"Add of '{change.Key}', which the observer already has.");
                        _view[change.Key] = change.Current;
                        break;
                    case ChangeReason.Update:
                        Assert.True(_view.ContainsKey(change.Key), $"Update of '{change.Key}', which the observer never got.");
                        _view[change.Key] = change.Current;
                        break;
                    case ChangeReason.Remove:
                        _view.Remove(change.Key);
                        break;
                }
            }

            release = _waiters.TakeSatisfied(_view);
        }

        release.ForEach(done => done.TrySetResult());
    }

    private void OnError(Exception error)
    {
        List<TaskCompletionSource> release;
        lock (_lock)
        {
            _error = error;
            release = _waiters.TakeAll();
        }

        release.ForEach(done => done.TrySetException(error));
    }
}
