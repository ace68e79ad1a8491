namespace BackgroundTasks.Caching;

/// <summary>
/// The sink of <c>Bind</c>: keeps a collection in step with the stream, in arrival order, and passes each change
/// set on unchanged, as DynamicData's unsorted binding.
/// </summary>
/// <remarks>
/// An Add appends, an Update replaces in place, a Remove removes, and a Refresh changes nothing. The first load,
/// and a change set of more than <see cref="BoundCollection{T}.ResetThreshold"/> changes, refill the collection
/// with one Reset. The collection is changed on the thread that delivers: put <c>ObserveOn</c> before
/// <c>Bind</c> to change it on a UI thread. A collection handler that throws ends the chain with its exception.
/// </remarks>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class Bind<TObject, TKey> : OperatorSink<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    private readonly BoundCollection<TObject> _target;

    // The keys in the collection's order, so an update or removal finds its slot by key, not by item equality.
    private readonly List<TKey> _keys = [];
    private readonly Dictionary<TKey, TObject> _held = [];
    private bool _loaded;

    public Bind(IObserver<IChangeSet<TObject, TKey>> downstream, BoundCollection<TObject> target)
        : base(downstream) => _target = target;

    protected override IChangeSet<TObject, TKey>? Process(IChangeSet<TObject, TKey> changes)
    {
        bool reset = !_loaded || changes.Count - changes.Refreshes > BoundCollection<TObject>.ResetThreshold;
        // By index: a foreach over the interface would box an enumerator per change set.
        for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
        {
            Change<TObject, TKey> change = changes[at];
            TKey key = change.Key;
            switch (change.Reason)
            {
                case ChangeReason.Add:
                case ChangeReason.Update:
                    if (_held.TryAdd(key, change.Current))
                    {
                        _keys.Add(key);
                        if (!reset)
                        {
                            _target.Add(change.Current);
                        }
                    }
                    else
                    {
                        _held[key] = change.Current;
                        if (!reset)
                        {
                            _target[_keys.IndexOf(key)] = change.Current;
                        }
                    }

                    break;

                case ChangeReason.Remove:
                    if (_held.Remove(key))
                    {
                        int index = _keys.IndexOf(key);
                        _keys.RemoveAt(index);
                        if (!reset)
                        {
                            _target.RemoveAt(index);
                        }
                    }

                    break;
            }
        }

        if (reset)
        {
            _loaded = true;
            _target.Load(_keys.Select(key => _held[key]));
        }

        return changes;
    }
}
