namespace BackgroundTasks.Caching;

/// <summary>
/// The sink of <c>AsObservableCache</c>: writes each change set of its source into a <see cref="DerivedCache{TObject, TKey}"/>.
/// </summary>
/// <remarks>
/// The cache's own observers run when it is written, in <see cref="OperatorSink{TSource, TResult}.Publish"/>: one
/// that throws propagates to the source's deliverer, as with any cache, and the cache stays up to date. When the
/// source ends, or the cache is disposed, the cache's streams complete (or fail with the source's error).
/// </remarks>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class AsObservableCache<TObject, TKey> : OperatorSink<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    public AsObservableCache()
        : base(IgnoringObserver.Instance) => Cache = new DerivedCache<TObject, TKey>(Dispose);

    /// <summary>Gets the cache this sink fills; disposing it unsubscribes.</summary>
    public DerivedCache<TObject, TKey> Cache { get; }

    protected override IChangeSet<TObject, TKey>? Process(IChangeSet<TObject, TKey> changes) => changes;

    protected override void Publish(IChangeSet<TObject, TKey> result) => Cache.Apply(result);

    protected override void OnStopped() => Cache.End(Error);

    /// <summary>The sink's subscriber: the cache is fed in Publish, so nothing is emitted.</summary>
    private sealed class IgnoringObserver : IObserver<IChangeSet<TObject, TKey>>
    {
        public static readonly IgnoringObserver Instance = new();

        public void OnNext(IChangeSet<TObject, TKey> value)
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}
