namespace BackgroundTasks.Orleans.Tests.TestSupport;

/// <summary>
/// Tasks that complete once a state satisfies their condition. Not thread-safe: its owner calls it under its own lock,
/// and completes what <see cref="TakeSatisfied"/> or <see cref="TakeAll"/> returned after releasing that lock.
/// </summary>
internal sealed class ConditionWaiters<TState>
{
    private readonly List<(Func<TState, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    /// <summary>A task that completes once <paramref name="condition"/> holds: at once if it holds for <paramref name="state"/>.</summary>
    public Task Add(TState state, Func<TState, bool> condition)
    {
        if (condition(state))
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((condition, done));
        return done.Task;
    }

    /// <summary>Removes and returns the waiters whose condition <paramref name="state"/> satisfies.</summary>
    public List<TaskCompletionSource> TakeSatisfied(TState state)
    {
        List<TaskCompletionSource> satisfied = [];
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Condition(state))
            {
                satisfied.Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }

        return satisfied;
    }

    /// <summary>Removes and returns every waiter (to fail them).</summary>
    public List<TaskCompletionSource> TakeAll()
    {
        List<TaskCompletionSource> all = [.. _waiters.Select(waiter => waiter.Done)];
        _waiters.Clear();
        return all;
    }
}
