using System.Reactive.Disposables;

namespace BackgroundTasks.Caching;

/// <summary>
/// The observer an operator subscribes to its single source with, and the <see cref="IDisposable"/> its own
/// subscriber gets back.
/// </summary>
/// <remarks>
/// <para>
/// A source calls its observer one call at a time (the Rx grammar, and the cache's delivery rule), so an operator
/// keeps its state unsynchronized. Only disposal may come from another thread at any moment; a small state
/// machine makes <see cref="OnStopped"/> (the operator's cleanup) run exactly once and never while
/// <see cref="Process"/> or <see cref="Publish"/> runs: disposal during a change set leaves the cleanup to the
/// thread delivering it, once that change set is done.
/// </para>
/// <para>
/// What the operator was given (a predicate, a transform, a comparer, an action) runs in <see cref="Process"/>; if
/// it throws, the chain ends with that exception as <c>OnError</c>, as an Rx operator's selector does. An
/// exception thrown by the downstream observer (or by observers the operator itself feeds, in
/// <see cref="Publish"/>) is not the operator's to handle: it propagates to the thread that delivered, as it
/// would from the cache.
/// </para>
/// </remarks>
/// <typeparam name="TSource">The type of the values the operator receives.</typeparam>
/// <typeparam name="TResult">The type of the values it emits.</typeparam>
internal abstract class OperatorSink<TSource, TResult> : IObserver<TSource>, IDisposable
    where TResult : class
{
    private const int Idle = 0;
    private const int Busy = 1;
    private const int StopRequested = 2;
    private const int Stopped = 3;

    private readonly SingleAssignmentDisposable _upstream = new();
    private int _state;
    private int _terminated;

    protected OperatorSink(IObserver<TResult> downstream) => Downstream = downstream;

    /// <summary>Gets the subscriber of the operator.</summary>
    protected IObserver<TResult> Downstream { get; }

    /// <summary>Gets the error the chain ended with, once it has.</summary>
    protected Exception? Error { get; private set; }

    /// <summary>Subscribes to <paramref name="source"/>; the returned subscription ends this sink.</summary>
    /// <param name="source">The operator's source.</param>
    /// <returns>This sink.</returns>
    public IDisposable Run(IObservable<TSource> source)
    {
        // A cache delivers its snapshot inside Subscribe: the chain may already have failed (or its subscriber
        // disposed) by the time Subscribe returns, and the assignment then disposes the subscription at once.
        _upstream.Disposable = source.Subscribe(this);
        return this;
    }

    public void OnNext(TSource value)
    {
        if (Volatile.Read(ref _terminated) != 0 || Interlocked.CompareExchange(ref _state, Busy, Idle) != Idle)
        {
            return;
        }

        try
        {
            TResult? result;
            try
            {
                result = Process(value);
            }
            catch (Exception exception)
            {
                OnError(exception);
                return;
            }

            if (result is not null)
            {
                Publish(result);
            }
        }
        finally
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Busy) != Busy)
            {
                // Disposed (or terminated) while this change set was being handled: the cleanup is ours now.
                Volatile.Write(ref _state, Stopped);
                OnStopped();
            }
        }
    }

    public void OnError(Exception error)
    {
        if (Interlocked.Exchange(ref _terminated, 1) == 0)
        {
            Error = error;
            _upstream.Dispose();
            Downstream.OnError(error);
            Stop();
        }
    }

    public void OnCompleted()
    {
        if (Interlocked.Exchange(ref _terminated, 1) == 0)
        {
            _upstream.Dispose();
            Downstream.OnCompleted();
            Stop();
        }
    }

    /// <summary>Unsubscribes from the source; the subscriber receives nothing more. Idempotent, any thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _terminated, 1) == 0)
        {
            _upstream.Dispose();
            Stop();
        }
    }

    /// <summary>Runs the operator's (and the user's) code on one value; what to emit, or null for nothing.</summary>
    /// <param name="value">The value from the source.</param>
    /// <returns>The value to emit, or <see langword="null"/>.</returns>
    protected abstract TResult? Process(TSource value);

    /// <summary>Emits what <see cref="Process"/> made; observer code only.</summary>
    /// <param name="result">The value to emit.</param>
    protected virtual void Publish(TResult result) => Downstream.OnNext(result);

    /// <summary>Runs once when the chain has ended (completed, failed or disposed), never beside <see cref="Process"/>.</summary>
    protected virtual void OnStopped()
    {
    }

    private void Stop()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Idle:
                    if (Interlocked.CompareExchange(ref _state, Stopped, Idle) == Idle)
                    {
                        OnStopped();
                        return;
                    }

                    break;

                case Busy:
                    if (Interlocked.CompareExchange(ref _state, StopRequested, Busy) == Busy)
                    {
                        return;
                    }

                    break;

                default:
                    return;
            }
        }
    }
}
