using BackgroundTasks.Reactive;

namespace BackgroundTasks.Caching;

/// <summary>
/// A keyed observable cache you write to: the same shape and meaning as DynamicData's <c>SourceCache</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every write is one change set. Observers are called after the cache has released its lock, one at a
/// time: the thread that writes delivers, unless another thread is already delivering, in which case that
/// thread delivers this write too (so a write may return before its observers have run). Each subscriber
/// receives changes in the order the cache made them. An observer may call back into the cache from
/// <c>OnNext</c>; what it changes there is delivered after its <c>OnNext</c> returns.
/// </para>
/// <para>
/// An exception thrown by an observer (or by a <see cref="Connect"/> predicate) propagates to the thread
/// that was delivering, as with an Rx subject; the cache stays consistent and the notifications not yet
/// delivered are delivered by the next write or subscription. The other <see cref="Connect"/> subscribers
/// still receive the change set the observer threw on, in order, before the exception propagates (an
/// <see cref="AggregateException"/> when several observers threw on the same change set).
/// </para>
/// <para>
/// Disposing the cache completes every stream; later writes throw <see cref="ObjectDisposedException"/>,
/// later subscriptions complete at once, and reads keep returning the last contents.
/// </para>
/// </remarks>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
public sealed class SourceCache<TObject, TKey> : IObservableCache<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    private readonly ObservableCache<TObject, TKey> _cache;

    /// <summary>Creates an empty cache that keys each item with <paramref name="keySelector"/>.</summary>
    /// <param name="keySelector">Gives an item's key; it should be cheap and must not call back into the cache.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keySelector"/> is null.</exception>
    public SourceCache(Func<TObject, TKey> keySelector)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        _cache = new ObservableCache<TObject, TKey>(keySelector);
    }

    /// <inheritdoc/>
    public int Count => _cache.Count;

    /// <inheritdoc/>
    public IReadOnlyCollection<TObject> Items => _cache.Items;

    /// <inheritdoc/>
    public IReadOnlyCollection<TKey> Keys => _cache.Keys;

    /// <inheritdoc/>
    public IObservable<int> CountChanged => new DelegateObservable<int, ObservableCache<TObject, TKey>>(
        _cache, static (cache, observer) => cache.SubscribeCount(observer));

    /// <inheritdoc/>
    public TObject? Lookup(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _cache.Lookup(key);
    }

    /// <inheritdoc/>
    public IObservable<IChangeSet<TObject, TKey>> Connect(Func<TObject, bool>? predicate = null) =>
        new DelegateObservable<IChangeSet<TObject, TKey>, (ObservableCache<TObject, TKey> Cache, Func<TObject, bool>? Predicate)>(
            (_cache, predicate), static (state, observer) => state.Cache.SubscribeConnect(observer, state.Predicate));

    /// <inheritdoc/>
    public IObservable<Change<TObject, TKey>> Watch(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new DelegateObservable<Change<TObject, TKey>, (ObservableCache<TObject, TKey> Cache, TKey Key)>(
            (_cache, key), static (state, observer) => state.Cache.SubscribeWatch(state.Key, observer));
    }

    /// <summary>Adds the item under its key, or replaces the item that key holds.</summary>
    /// <param name="item">The item to store.</param>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The cache is disposed.</exception>
    public void AddOrUpdate(TObject item)
    {
        ArgumentNullException.ThrowIfNull(item);

        // The key selector is the caller's code: run it before taking the lock.
        TKey key = _cache.KeySelector(item);
        _cache.Edit((item, key), static (updater, state) => updater.AddOrUpdate(state.item, state.key));
    }

    /// <summary>Adds or replaces every item, as one change set.</summary>
    /// <param name="items">The items to store.</param>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or one of its items is null.</exception>
    /// <exception cref="ObjectDisposedException">The cache is disposed.</exception>
    public void AddOrUpdate(IEnumerable<TObject> items)
    {
        ArgumentNullException.ThrowIfNull(items);

        // Enumerate the caller's sequence and run the key selector before taking the lock.
        var pairs = new List<(TObject Item, TKey Key)>(items.TryGetNonEnumeratedCount(out int count) ? count : 4);
        foreach (TObject item in items)
        {
            if (item is null)
            {
                throw new ArgumentNullException(nameof(items), Messages.NullItem);
            }

            pairs.Add((item, _cache.KeySelector(item)));
        }

        _cache.Edit(pairs, static (updater, pairs) =>
        {
            foreach ((TObject item, TKey key) in pairs)
            {
                updater.AddOrUpdate(item, key);
            }
        });
    }

    /// <summary>Removes the key; does nothing when the cache does not hold it.</summary>
    /// <param name="key">The key to remove.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The cache is disposed.</exception>
    public void Remove(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _cache.Edit(key, static (updater, key) => updater.Remove(key));
    }

    /// <summary>Runs <paramref name="update"/> and publishes everything it did as one change set.</summary>
    /// <remarks>
    /// The callback runs under the cache's lock: keep it short, do not block in it, and do not subscribe to
    /// the cache from it (that throws <see cref="InvalidOperationException"/>). If it throws, what it already
    /// changed stays changed and is published, and the exception propagates.
    /// </remarks>
    /// <param name="update">Writes through the updater it is given.</param>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The cache is disposed.</exception>
    public void Edit(Action<ISourceUpdater<TObject, TKey>> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        _cache.Edit(update, static (updater, update) => update(updater));
    }

    /// <summary>Where observer exceptions go instead of the delivering thread; null (the default) lets them propagate.</summary>
    internal Action<Exception>? ObserverFault
    {
        get => _cache.ObserverFault;
        set => _cache.ObserverFault = value;
    }

    /// <summary>
    /// <see cref="Edit(Action{ISourceUpdater{TObject, TKey}})"/> without a closure: pass a static lambda and
    /// its <paramref name="state"/>. For the library's hot paths.
    /// </summary>
    /// <typeparam name="TState">The type of the state passed to <paramref name="update"/>.</typeparam>
    /// <param name="state">What <paramref name="update"/> needs.</param>
    /// <param name="update">Writes through the updater it is given; runs under the cache's lock.</param>
    /// <exception cref="ObjectDisposedException">The cache is disposed.</exception>
    internal void Edit<TState>(TState state, Action<ISourceUpdater<TObject, TKey>, TState> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        _cache.Edit((update, state), static (updater, s) => s.update(updater, s.state));
    }

    /// <summary>Completes every stream; later writes throw <see cref="ObjectDisposedException"/>. Idempotent.</summary>
    public void Dispose() => _cache.Dispose();
}
