namespace BackgroundTasks.Tests.Reactive;

/// <summary>
/// Records what it receives and counts protocol violations: overlapping calls (two threads inside at once),
/// calls after completion, and a second completion.
/// </summary>
internal sealed class TestObserver<T> : IObserver<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _values = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<T>? _onNext;
    private readonly int _spin;
    private int _inside;
    private int _overlaps;
    private int _completions;
    private int _afterCompletion;

    /// <param name="onNext">Runs inside OnNext, after the value is recorded.</param>
    /// <param name="spin">Spins this long inside OnNext to widen the window in which an overlap would show.</param>
    public TestObserver(Action<T>? onNext = null, int spin = 0)
    {
        _onNext = onNext;
        _spin = spin;
    }

    public IReadOnlyList<T> Values
    {
        get
        {
            lock (_gate)
            {
                return [.. _values];
            }
        }
    }

    public bool IsCompleted => _completion.Task.IsCompleted;

    public Task Completion => _completion.Task;

    public int Overlaps => Volatile.Read(ref _overlaps);

    public void OnNext(T value)
    {
        Enter();
        try
        {
            if (Volatile.Read(ref _completions) != 0)
            {
                Interlocked.Increment(ref _afterCompletion);
            }

            lock (_gate)
            {
                _values.Add(value);
            }

            if (_spin > 0)
            {
                Thread.SpinWait(_spin);
            }

            _onNext?.Invoke(value);
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    public void OnCompleted()
    {
        Enter();
        try
        {
            Interlocked.Increment(ref _completions);
            _completion.TrySetResult();
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    public void OnError(Exception error) => _completion.TrySetException(error);

    /// <summary>Fails the test when the observer contract was broken.</summary>
    public void AssertProtocol()
    {
        Assert.True(Volatile.Read(ref _overlaps) == 0, "OnNext/OnCompleted calls overlapped.");
        Assert.True(Volatile.Read(ref _afterCompletion) == 0, "OnNext was called after OnCompleted.");
        Assert.True(Volatile.Read(ref _completions) <= 1, "OnCompleted was called more than once.");
    }

    private void Enter()
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            Interlocked.Increment(ref _overlaps);
        }
    }
}
