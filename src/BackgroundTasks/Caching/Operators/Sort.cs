namespace BackgroundTasks.Caching;

/// <summary>
/// The sink of <c>Sort</c>: passes on each change set with the sorted contents after it, as DynamicData's.
/// </summary>
/// <remarks>
/// A Refresh re-sorts its item, which may have changed in place. Each change set carries its own immutable copy
/// of the sorted items, so a subscriber may keep it; that copy costs one array of the cache's size per change set.
/// </remarks>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class Sort<TObject, TKey> : OperatorSink<IChangeSet<TObject, TKey>, ISortedChangeSet<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    private readonly SortedKeyedList<TObject, TKey> _sorted;

    public Sort(IObserver<ISortedChangeSet<TObject, TKey>> downstream, IComparer<TObject> comparer)
        : base(downstream) => _sorted = new SortedKeyedList<TObject, TKey>(comparer);

    protected override ISortedChangeSet<TObject, TKey>? Process(IChangeSet<TObject, TKey> changes)
    {
        _sorted.Apply(changes, listener: null);
        return new SortedChangeSet<TObject, TKey>(changes, [.. _sorted.Items]);
    }
}
