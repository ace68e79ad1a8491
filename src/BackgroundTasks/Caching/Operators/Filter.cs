namespace BackgroundTasks.Caching;

/// <summary>The sink of <c>Filter(predicate)</c>: passes on the items that match, as DynamicData's static filter.</summary>
/// <remarks>
/// It remembers which keys its subscriber holds, so an update or refresh that makes an item stop matching
/// arrives as a Remove of the item the subscriber held, and one that makes it start matching as an Add.
/// </remarks>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class Filter<TObject, TKey> : OperatorSink<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    private readonly Func<TObject, bool> _predicate;
    private readonly HashSet<TKey> _included = [];
    private readonly List<Change<TObject, TKey>> _buffer = [];

    public Filter(IObserver<IChangeSet<TObject, TKey>> downstream, Func<TObject, bool> predicate)
        : base(downstream) => _predicate = predicate;

    protected override IChangeSet<TObject, TKey>? Process(IChangeSet<TObject, TKey> changes)
    {
        // By index: a foreach over the interface would box an enumerator per change set.
        for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
        {
            Change<TObject, TKey> change = changes[at];
            TKey key = change.Key;
            switch (change.Reason)
            {
                case ChangeReason.Add:
                    if (_predicate(change.Current))
                    {
                        _included.Add(key);
                        _buffer.Add(change);
                    }

                    break;

                case ChangeReason.Remove:
                    if (_included.Remove(key))
                    {
                        _buffer.Add(change);
                    }

                    break;

                default:
                    bool wasIn = _included.Contains(key);
                    bool isIn = _predicate(change.Current);
                    if (wasIn && isIn)
                    {
                        _buffer.Add(change);
                    }
                    else if (wasIn)
                    {
                        _included.Remove(key);
                        TObject held = change.Reason == ChangeReason.Update ? change.Previous! : change.Current;
                        _buffer.Add(ChangeSets.Remove(key, held));
                    }
                    else if (isIn)
                    {
                        _included.Add(key);
                        _buffer.Add(ChangeSets.Add(key, change.Current));
                    }

                    break;
            }
        }

        // All passed unchanged: hand on the source's (immutable) change set instead of a copy.
        if (ChangeSets.SameReasons(changes, _buffer))
        {
            _buffer.Clear();
            return changes;
        }

        return ChangeSets.Drain(_buffer);
    }
}
