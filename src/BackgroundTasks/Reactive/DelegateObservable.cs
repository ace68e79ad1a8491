namespace BackgroundTasks.Reactive;

/// <summary>
/// An <see cref="IObservable{T}"/> whose <see cref="Subscribe"/> calls a static function with a state, so
/// making one allocates nothing but itself. Unlike <c>Observable.Create</c>, it subscribes synchronously
/// on the calling thread and adds no wrapping observer.
/// </summary>
/// <typeparam name="T">The type of the values.</typeparam>
/// <typeparam name="TState">The type of the state.</typeparam>
internal sealed class DelegateObservable<T, TState> : IObservable<T>
{
    private readonly TState _state;
    private readonly Func<TState, IObserver<T>, IDisposable> _subscribe;

    public DelegateObservable(TState state, Func<TState, IObserver<T>, IDisposable> subscribe)
    {
        _state = state;
        _subscribe = subscribe;
    }

    /// <summary>Subscribes <paramref name="observer"/>.</summary>
    /// <param name="observer">The observer.</param>
    /// <returns>Disposing it stops delivery to <paramref name="observer"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="observer"/> is null.</exception>
    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return _subscribe(_state, observer);
    }
}
