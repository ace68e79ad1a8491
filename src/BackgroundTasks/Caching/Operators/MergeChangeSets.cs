namespace BackgroundTasks.Caching;

/// <summary>
/// The sink of <c>MergeChangeSets</c>: several keyed streams as one, as DynamicData's (without a comparer).
/// </summary>
/// <remarks>
/// <para>
/// The first source to add a key owns it: the others' items under that key stay hidden. When the owner removes
/// it, the first source (in the order given) that still holds the key takes over, and the merged stream sees an
/// Update to that source's item; when none does, a Remove. Only the owner's updates and refreshes pass.
/// </para>
/// <para>
/// The sources may deliver on different threads at once, so their change sets go through the gate of
/// <see cref="GatedSink{TResult}"/>, one at a time, with no lock held. The stream completes when every source has
/// completed, and fails as soon as one fails.
/// </para>
/// </remarks>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class MergeChangeSets<TObject, TKey> : GatedSink<IChangeSet<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    private readonly Dictionary<TKey, TObject>[] _sourceItems;
    private readonly Dictionary<TKey, int> _owners = [];
    private readonly List<Change<TObject, TKey>> _buffer = [];
    private int _active;

    public MergeChangeSets(IObserver<IChangeSet<TObject, TKey>> downstream, int sources)
        : base(downstream)
    {
        _active = sources;
        _sourceItems = new Dictionary<TKey, TObject>[sources];
        for (int i = 0; i < sources; i++)
        {
            _sourceItems[i] = [];
        }
    }

    public IDisposable Run(IObservable<IChangeSet<TObject, TKey>>[] sources)
    {
        if (sources.Length == 0)
        {
            Complete();
            return this;
        }

        for (int i = 0; i < sources.Length; i++)
        {
            int index = i;
            Subscribe(sources[i], changes => OnChanges(index, changes), OnSourceCompleted);
        }

        return this;
    }

    private void OnChanges(int source, IChangeSet<TObject, TKey> changes)
    {
        if (IsTerminated)
        {
            return;
        }

        Dictionary<TKey, TObject> items = _sourceItems[source];
        // By index: a foreach over the interface would box an enumerator per change set.
        for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
        {
            Change<TObject, TKey> change = changes[at];
            TKey key = change.Key;
            bool owned = _owners.TryGetValue(key, out int owner);
            switch (change.Reason)
            {
                case ChangeReason.Remove:
                    if (!items.Remove(key) || owner != source)
                    {
                        break;
                    }

                    Handover(key, change.Current);
                    break;

                case ChangeReason.Refresh:
                    if (owned && owner == source)
                    {
                        _buffer.Add(change);
                    }

                    break;

                default:
                    items.TryGetValue(key, out TObject? previous);
                    items[key] = change.Current;
                    if (!owned)
                    {
                        _owners.Add(key, source);
                        _buffer.Add(ChangeSets.Add(key, change.Current));
                    }
                    else if (owner == source)
                    {
                        _buffer.Add(new Change<TObject, TKey>(ChangeReason.Update, key, change.Current, previous));
                    }

                    break;
            }
        }

        if (ChangeSets.Drain(_buffer) is { } merged)
        {
            Downstream.OnNext(merged);
        }
    }

    /// <summary>The owner removed the key: the first other source holding it takes over, or the key goes.</summary>
    private void Handover(TKey key, TObject removed)
    {
        for (int i = 0; i < _sourceItems.Length; i++)
        {
            if (_sourceItems[i].TryGetValue(key, out TObject? replacement))
            {
                _owners[key] = i;
                _buffer.Add(new Change<TObject, TKey>(ChangeReason.Update, key, replacement, removed));
                return;
            }
        }

        _owners.Remove(key);
        _buffer.Add(ChangeSets.Remove(key, removed));
    }

    private void OnSourceCompleted()
    {
        if (--_active == 0)
        {
            Complete();
        }
    }
}
