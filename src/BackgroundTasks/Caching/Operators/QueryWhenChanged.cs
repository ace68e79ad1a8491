namespace BackgroundTasks.Caching;

/// <summary>The sink of <c>QueryWhenChanged</c>: one immutable snapshot of the contents per change set.</summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class QueryWhenChanged<TObject, TKey> : OperatorSink<IChangeSet<TObject, TKey>, IQuery<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    private readonly ContentsTracker<TObject, TKey> _contents = new();

    public QueryWhenChanged(IObserver<IQuery<TObject, TKey>> downstream)
        : base(downstream)
    {
    }

    protected override IQuery<TObject, TKey>? Process(IChangeSet<TObject, TKey> changes)
    {
        _contents.Apply(changes);

        // A copy per change set, as DynamicData's: a subscriber may keep a snapshot while later ones arrive.
        return new Query<TObject, TKey>(new Dictionary<TKey, TObject>(_contents.Items));
    }
}
