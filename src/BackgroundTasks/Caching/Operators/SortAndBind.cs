namespace BackgroundTasks.Caching;

/// <summary>
/// The sink of <c>SortAndBind</c>: keeps a collection sorted by a comparer, in step with the stream, and passes
/// each change set on unchanged, as DynamicData's.
/// </summary>
/// <remarks>
/// Each change becomes the smallest edit of the collection: an insert at the item's place, a removal, a
/// replacement when an update keeps its place, a move when a refresh changes it. The first load, and a change set
/// of more than <see cref="BoundCollection{T}.ResetThreshold"/> changes, refill it with one Reset. Items that
/// compare equal keep their arrival order. The collection is changed on the thread that delivers.
/// </remarks>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class SortAndBind<TObject, TKey> : OperatorSink<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    private readonly BoundCollection<TObject> _target;
    private readonly SortedKeyedList<TObject, TKey> _sorted;

    public SortAndBind(IObserver<IChangeSet<TObject, TKey>> downstream, BoundCollection<TObject> target, IComparer<TObject> comparer)
        : base(downstream)
    {
        _target = target;
        _sorted = new SortedKeyedList<TObject, TKey>(comparer);
    }

    protected override IChangeSet<TObject, TKey>? Process(IChangeSet<TObject, TKey> changes)
    {
        if (_sorted.Count != 0 && changes.Count - changes.Refreshes > BoundCollection<TObject>.ResetThreshold)
        {
            _sorted.Apply(changes, listener: null);
            _target.Load(_sorted.Items.Select(static pair => pair.Value));
        }
        else
        {
            // The first load arrives as Loaded: one Reset.
            _sorted.Apply(changes, _target);
        }

        return changes;
    }
}
