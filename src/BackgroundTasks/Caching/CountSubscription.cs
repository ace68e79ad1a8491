namespace BackgroundTasks.Caching;

/// <summary>A subscriber of <see cref="ObservableCache{TObject, TKey}.SubscribeCount"/>.</summary>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class CountSubscription<TObject, TKey> : CacheSubscription<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    private readonly IObserver<int> _observer;

    public CountSubscription(ObservableCache<TObject, TKey> owner, IObserver<int> observer)
        : base(owner) => _observer = observer;

    protected override void Unregister() => Owner.Unsubscribe(this);

    protected override void OnNext(in CacheNotification<TObject, TKey> notification) => _observer.OnNext(notification.Count);

    protected override void OnCompleted() => _observer.OnCompleted();
}
