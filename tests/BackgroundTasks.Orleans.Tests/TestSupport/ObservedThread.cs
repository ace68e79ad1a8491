using BackgroundTasks.Caching;

namespace BackgroundTasks.Orleans.Tests.TestSupport;

/// <summary>A ConnectThread subscriber that replays its change sets into a view and lets a test await a state of it.</summary>
internal sealed class ObservedThread : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskSummary> _view = new(StringComparer.Ordinal);
    private readonly List<IChangeSet<TaskSummary, string>> _changeSets = [];
    private readonly List<(Func<IReadOnlyDictionary<string, TaskSummary>, bool> Condition, TaskCompletionSource Done)> _waiters = [];
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
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_error is not null)
            {
                return Task.FromException(_error);
            }

            if (condition(_view))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((condition, done));
        }

        return done.Task;
    }

    public void Dispose() => _subscription.Dispose();

    private void OnNext(IChangeSet<TaskSummary, string> changes)
    {
        List<TaskCompletionSource> release = [];
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

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_view))
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
            _error = error;
            release = [.. _waiters.Select(waiter => waiter.Done)];
            _waiters.Clear();
        }

        release.ForEach(done => done.TrySetException(error));
    }
}
