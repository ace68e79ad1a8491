namespace BackgroundTasks.Caching;

/// <summary>A subscriber of <see cref="ObservableCache{TObject, TKey}.SubscribeWatch"/>: the changes to one key.</summary>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class WatchSubscription<TObject, TKey> : CacheSubscription<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    private readonly IObserver<Change<TObject, TKey>> _observer;

    public WatchSubscription(ObservableCache<TObject, TKey> owner, TKey key, IObserver<Change<TObject, TKey>> observer)
        : base(owner)
    {
        Key = key;
        _observer = observer;
    }

    /// <summary>Gets the key this subscriber watches.</summary>
    public TKey Key { get; }

    protected override void Unregister() => Owner.Unsubscribe(this);

    protected override void OnNext(in CacheNotification<TObject, TKey> notification) => _observer.OnNext(notification.Change);

    protected override void OnCompleted() => _observer.OnCompleted();
}
