namespace BackgroundTasks.Tests.TestSupport;

/// <summary>An observer that records what it sees and fails the test if two calls ever overlap.</summary>
internal sealed class OverlapDetectingObserver<T> : IObserver<T>
{
    private readonly Lock _lock = new();
    private readonly List<T> _items = [];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inside;
    private int _overlaps;

    public int Overlaps => Volatile.Read(ref _overlaps);

    public Task Completed => _completed.Task;

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_lock)
            {
                return [.. _items];
            }
        }
    }

    public void OnNext(T value)
    {
        Enter();
        try
        {
            // Widen the window in which an overlapping call would be caught.
            Thread.SpinWait(50);
            lock (_lock)
            {
                _items.Add(value);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    public void OnError(Exception error) => _completed.TrySetException(error);

    public void OnCompleted()
    {
        Enter();
        Interlocked.Decrement(ref _inside);
        _completed.TrySetResult();
    }

    private void Enter()
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            Interlocked.Increment(ref _overlaps);
        }
    }
}
