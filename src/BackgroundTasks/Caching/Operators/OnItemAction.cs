namespace BackgroundTasks.Caching;

/// <summary>
/// The sink of <c>OnItemAdded</c> and <c>OnItemUpdated</c>: runs an action for each change of one reason, then
/// passes the change set on unchanged.
/// </summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class OnItemAction<TObject, TKey> : OperatorSink<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    private readonly ChangeReason _reason;
    private readonly Action<Change<TObject, TKey>> _action;

    public OnItemAction(IObserver<IChangeSet<TObject, TKey>> downstream, ChangeReason reason, Action<Change<TObject, TKey>> action)
        : base(downstream)
    {
        _reason = reason;
        _action = action;
    }

    protected override IChangeSet<TObject, TKey>? Process(IChangeSet<TObject, TKey> changes)
    {
        if ((_reason == ChangeReason.Add ? changes.Adds : changes.Updates) != 0)
        {
            // By index: a foreach over the interface would box an enumerator per change set.
            for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
            {
                Change<TObject, TKey> change = changes[at];
                if (change.Reason == _reason)
                {
                    _action(change);
                }
            }
        }

        return changes;
    }
}
