namespace BackgroundTasks.Caching;

/// <summary>The sink of <c>ToCollection</c>: the items, as an immutable array, once per change set.</summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class ToCollection<TObject, TKey> : OperatorSink<IChangeSet<TObject, TKey>, IReadOnlyCollection<TObject>>
    where TObject : class
    where TKey : notnull
{
    private readonly ContentsTracker<TObject, TKey> _contents = new();

    public ToCollection(IObserver<IReadOnlyCollection<TObject>> downstream)
        : base(downstream)
    {
    }

    protected override IReadOnlyCollection<TObject>? Process(IChangeSet<TObject, TKey> changes)
    {
        _contents.Apply(changes);
        return [.. _contents.Items.Values];
    }
}
