namespace BackgroundTasks.Caching;

/// <summary>The sink of <c>WhereReasonsAre</c>: keeps only the changes made for the given reasons.</summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class WhereReasonsAre<TObject, TKey> : OperatorSink<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    // One bit per ChangeReason kept.
    private readonly int _reasons;
    private readonly List<Change<TObject, TKey>> _buffer = [];

    public WhereReasonsAre(IObserver<IChangeSet<TObject, TKey>> downstream, int reasons)
        : base(downstream) => _reasons = reasons;

    protected override IChangeSet<TObject, TKey>? Process(IChangeSet<TObject, TKey> changes)
    {
        // By index: a foreach over the interface would box an enumerator per change set.
        for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
        {
            Change<TObject, TKey> change = changes[at];
            if ((_reasons & (1 << (int)change.Reason)) != 0)
            {
                _buffer.Add(change);
            }
        }

        if (_buffer.Count == changes.Count)
        {
            _buffer.Clear();
            return changes;
        }

        return ChangeSets.Drain(_buffer);
    }
}
