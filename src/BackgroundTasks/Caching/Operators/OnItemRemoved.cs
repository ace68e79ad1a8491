namespace BackgroundTasks.Caching;

/// <summary>
/// The sink of <c>OnItemRemoved</c>: runs an action for each removed item and, when the chain ends (disposed,
/// completed or failed), for every item it still holds, as DynamicData's.
/// </summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class OnItemRemoved<TObject, TKey> : OperatorSink<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    private readonly Action<TObject> _removeAction;
    private readonly bool _invokeOnUnsubscribe;
    private readonly ContentsTracker<TObject, TKey> _held = new();

    public OnItemRemoved(IObserver<IChangeSet<TObject, TKey>> downstream, Action<TObject> removeAction, bool invokeOnUnsubscribe)
        : base(downstream)
    {
        _removeAction = removeAction;
        _invokeOnUnsubscribe = invokeOnUnsubscribe;
    }

    protected override IChangeSet<TObject, TKey>? Process(IChangeSet<TObject, TKey> changes)
    {
        _held.Apply(changes);
        if (changes.Removes != 0)
        {
            // By index: a foreach over the interface would box an enumerator per change set.
            for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
            {
                Change<TObject, TKey> change = changes[at];
                if (change.Reason == ChangeReason.Remove)
                {
                    _removeAction(change.Current);
                }
            }
        }

        return changes;
    }

    protected override void OnStopped()
    {
        if (!_invokeOnUnsubscribe)
        {
            return;
        }

        // Runs on the thread that ended the chain, after the last change set and never beside one.
        TObject[] held = [.. _held.Items.Values];
        _held.Items.Clear();
        foreach (TObject item in held)
        {
            _removeAction(item);
        }
    }
}
