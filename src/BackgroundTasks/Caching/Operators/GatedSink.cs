using System.Reactive.Disposables;

namespace BackgroundTasks.Caching;

/// <summary>
/// The base of an operator with several inputs (the dynamic filter, the merge): every input's notifications go
/// through one <see cref="SerialGate"/>, so the operator's state is touched, and its subscriber called, by one
/// thread at a time with no lock held, and the stream ends once.
/// </summary>
/// <typeparam name="TResult">The type of the values the operator emits.</typeparam>
internal abstract class GatedSink<TResult> : IDisposable
{
    private readonly SerialGate _gate = new();
    private readonly CompositeDisposable _upstreams = [];
    private int _terminated;

    protected GatedSink(IObserver<TResult> downstream) => Downstream = downstream;

    /// <summary>Gets the subscriber of the operator.</summary>
    protected IObserver<TResult> Downstream { get; }

    /// <summary>Gets whether the stream has ended (or its subscriber disposed it).</summary>
    protected bool IsTerminated => Volatile.Read(ref _terminated) != 0;

    /// <summary>Unsubscribes from every input; the subscriber receives nothing more. Idempotent, any thread.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _terminated, 1);
        _upstreams.Dispose();
    }

    /// <summary>Subscribes to one input; each of its notifications runs through the gate.</summary>
    /// <typeparam name="T">The type of the input's values.</typeparam>
    /// <param name="input">The input.</param>
    /// <param name="onNext">Handles a value, inside the gate.</param>
    /// <param name="onCompleted">Handles the input's completion, inside the gate.</param>
    protected void Subscribe<T>(IObservable<T> input, Action<T> onNext, Action onCompleted) =>
        _upstreams.Add(input.Subscribe(
            value => _gate.Run(() => onNext(value)),
            error => _gate.Run(() => Fail(error)),
            () => _gate.Run(onCompleted)));

    /// <summary>Ends the stream with <paramref name="error"/>, once; inside the gate.</summary>
    /// <param name="error">The error.</param>
    protected void Fail(Exception error)
    {
        if (Interlocked.Exchange(ref _terminated, 1) == 0)
        {
            _upstreams.Dispose();
            Downstream.OnError(error);
        }
    }

    /// <summary>Completes the stream, once; inside the gate.</summary>
    protected void Complete()
    {
        if (Interlocked.Exchange(ref _terminated, 1) == 0)
        {
            _upstreams.Dispose();
            Downstream.OnCompleted();
        }
    }
}
