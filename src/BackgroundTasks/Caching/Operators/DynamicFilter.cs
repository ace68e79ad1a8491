namespace BackgroundTasks.Caching;

/// <summary>
/// The sink of <c>Filter(predicateChanged)</c>: nothing passes until the first predicate arrives, and each new
/// predicate re-evaluates every item, as DynamicData's dynamic filter.
/// </summary>
/// <remarks>
/// Its two inputs may call from different threads at once, so both go through the gate of
/// <see cref="GatedSink{TResult}"/>.
/// </remarks>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class DynamicFilter<TObject, TKey> : GatedSink<IChangeSet<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    private readonly Dictionary<TKey, (TObject Item, bool Included)> _items = [];
    private readonly List<Change<TObject, TKey>> _buffer = [];
    private Func<TObject, bool>? _predicate;

    public DynamicFilter(IObserver<IChangeSet<TObject, TKey>> downstream)
        : base(downstream)
    {
    }

    public IDisposable Run(IObservable<IChangeSet<TObject, TKey>> source, IObservable<Func<TObject, bool>> predicateChanged)
    {
        // The last predicate stays in force when the predicates complete: only the source ends the stream.
        Subscribe(predicateChanged, OnPredicate, static () => { });
        Subscribe(source, OnChanges, Complete);
        return this;
    }

    private void OnPredicate(Func<TObject, bool>? predicate)
    {
        if (IsTerminated)
        {
            return;
        }

        if (predicate is null)
        {
            Fail(new InvalidOperationException(Messages.NullPredicateInStream));
            return;
        }

        _predicate = predicate;
        if (!TryRun(Refilter))
        {
            return;
        }

        Emit();
    }

    private void OnChanges(IChangeSet<TObject, TKey> changes)
    {
        if (!IsTerminated && TryRun(() => Apply(changes)))
        {
            Emit();
        }
    }

    private bool TryRun(Action work)
    {
        try
        {
            work();
            return true;
        }
        catch (Exception exception)
        {
            // The predicate threw: the chain ends with it, as Rx's Where would.
            _buffer.Clear();
            Fail(exception);
            return false;
        }
    }

    private void Emit()
    {
        if (ChangeSets.Drain(_buffer) is { } result)
        {
            Downstream.OnNext(result);
        }
    }

    private void Refilter()
    {
        Func<TObject, bool> predicate = _predicate!;
        foreach (KeyValuePair<TKey, (TObject Item, bool Included)> pair in _items)
        {
            (TObject item, bool wasIn) = pair.Value;
            bool isIn = predicate(item);
            if (isIn != wasIn)
            {
                _buffer.Add(isIn ? ChangeSets.Add(pair.Key, item) : ChangeSets.Remove(pair.Key, item));
            }
        }

        // Written after the loop: a dictionary must not be changed while it is enumerated.
        foreach (Change<TObject, TKey> change in _buffer)
        {
            _items[change.Key] = (change.Current, change.Reason == ChangeReason.Add);
        }
    }

    private void Apply(IChangeSet<TObject, TKey> changes)
    {
        // By index: a foreach over the interface would box an enumerator per change set.
        for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
        {
            Change<TObject, TKey> change = changes[at];
            TKey key = change.Key;
            if (change.Reason == ChangeReason.Remove)
            {
                if (_items.Remove(key, out (TObject Item, bool Included) gone) && gone.Included)
                {
                    _buffer.Add(ChangeSets.Remove(key, gone.Item));
                }

                continue;
            }

            bool known = _items.TryGetValue(key, out (TObject Item, bool Included) held);
            TObject current = change.Reason == ChangeReason.Refresh && known ? held.Item : change.Current;
            bool isIn = _predicate is { } predicate && predicate(current);
            _items[key] = (current, isIn);
            if (isIn && known && held.Included)
            {
                _buffer.Add(change.Reason == ChangeReason.Update
                    ? new Change<TObject, TKey>(ChangeReason.Update, key, current, held.Item)
                    : new Change<TObject, TKey>(change.Reason, key, current, null));
            }
            else if (isIn)
            {
                _buffer.Add(ChangeSets.Add(key, current));
            }
            else if (known && held.Included)
            {
                _buffer.Add(ChangeSets.Remove(key, held.Item));
            }
        }
    }

}
