namespace BackgroundTasks.Benchmarks;

/// <summary>An observer that only counts: the cheapest subscriber, so what is measured is the fan-out itself.</summary>
internal sealed class CountingObserver<T> : IObserver<T>
{
    public long Count { get; private set; }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void OnNext(T value) => Count++;
}
