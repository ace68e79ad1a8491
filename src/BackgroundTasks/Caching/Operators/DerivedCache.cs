using BackgroundTasks.Reactive;

namespace BackgroundTasks.Caching;

/// <summary>
/// An <see cref="IObservableCache{TObject, TKey}"/> an operator writes to: the cache of <c>AsObservableCache</c>
/// and of each group of <c>Group</c>. It has the cache's delivery rules, since it is the same engine.
/// </summary>
/// <remarks>
/// When the operator ends it, its streams complete (or fail with the operator's error) and its reads keep the last
/// contents. Whether disposing it from outside does anything is the operator's choice (<c>onDispose</c>).
/// </remarks>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class DerivedCache<TObject, TKey> : IObservableCache<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    // Every write comes with its key, so the engine never needs to compute one.
    private static readonly Func<TObject, TKey> s_noKeySelector =
        static _ => throw new InvalidOperationException(Messages.DerivedCacheHasNoKeySelector);

    private readonly ObservableCache<TObject, TKey> _cache = new(s_noKeySelector);
    private readonly Action? _onDispose;
    private Exception? _error;

    /// <param name="onDispose">What disposing it from outside does; <see langword="null"/> for nothing.</param>
    public DerivedCache(Action? onDispose) => _onDispose = onDispose;

    public int Count => _cache.Count;

    public IReadOnlyCollection<TObject> Items => _cache.Items;

    public IReadOnlyCollection<TKey> Keys => _cache.Keys;

    public IObservable<int> CountChanged => new DelegateObservable<int, DerivedCache<TObject, TKey>>(
        this, static (self, observer) => self._cache.SubscribeCount(new EndObserver<int>(observer, self)));

    public TObject? Lookup(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _cache.Lookup(key);
    }

    public IObservable<IChangeSet<TObject, TKey>> Connect(Func<TObject, bool>? predicate = null) =>
        new DelegateObservable<IChangeSet<TObject, TKey>, (DerivedCache<TObject, TKey> Self, Func<TObject, bool>? Predicate)>(
            (this, predicate),
            static (state, observer) => state.Self._cache.SubscribeConnect(new EndObserver<IChangeSet<TObject, TKey>>(observer, state.Self), state.Predicate));

    public IObservable<Change<TObject, TKey>> Watch(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new DelegateObservable<Change<TObject, TKey>, (DerivedCache<TObject, TKey> Self, TKey Key)>(
            (this, key), static (state, observer) => state.Self._cache.SubscribeWatch(state.Key, new EndObserver<Change<TObject, TKey>>(observer, state.Self)));
    }

    /// <summary>Applies <paramref name="changes"/> as one edit; the cache's subscribers see them as one change set.</summary>
    /// <param name="changes">The changes, with their keys.</param>
    public void Apply(IEnumerable<Change<TObject, TKey>> changes) =>
        _cache.Edit(changes, static (updater, changes) =>
        {
            foreach (Change<TObject, TKey> change in changes)
            {
                switch (change.Reason)
                {
                    case ChangeReason.Add:
                    case ChangeReason.Update:
                        updater.AddOrUpdate(change.Current, change.Key);
                        break;
                    case ChangeReason.Remove:
                        updater.Remove(change.Key);
                        break;
                    default:
                        updater.Refresh(change.Key);
                        break;
                }
            }
        });

    /// <summary>Ends every stream: completes it, or fails it with <paramref name="error"/>.</summary>
    /// <param name="error">Why the stream ends, or <see langword="null"/> when it simply completes.</param>
    public void End(Exception? error)
    {
        // Written before the engine completes its subscribers, which read it through EndObserver.
        Volatile.Write(ref _error, error);
        _cache.Dispose();
    }

    public void Dispose() => _onDispose?.Invoke();

    /// <summary>Turns the engine's completion into the operator's error, when it ended with one.</summary>
    private sealed class EndObserver<T>(IObserver<T> observer, DerivedCache<TObject, TKey> owner) : IObserver<T>
    {
        public void OnNext(T value) => observer.OnNext(value);

        public void OnError(Exception error) => observer.OnError(error);

        public void OnCompleted()
        {
            if (Volatile.Read(ref owner._error) is { } error)
            {
                observer.OnError(error);
            }
            else
            {
                observer.OnCompleted();
            }
        }
    }
}
