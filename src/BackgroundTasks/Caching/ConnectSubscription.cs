using System.Diagnostics;

namespace BackgroundTasks.Caching;

/// <summary>
/// A subscriber of <see cref="ObservableCache{TObject, TKey}.SubscribeConnect"/>, optionally filtered by a predicate.
/// </summary>
/// <remarks>
/// A filtered subscriber remembers which keys its observer holds, so an item that stops or starts matching
/// (through an update or a refresh) becomes a Remove or an Add. The set and the predicate are touched only
/// by the cache's single deliverer, outside the cache's lock.
/// </remarks>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class ConnectSubscription<TObject, TKey> : CacheSubscription<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    private readonly IObserver<IChangeSet<TObject, TKey>> _observer;
    private readonly Func<TObject, bool>? _predicate;
    private readonly HashSet<TKey>? _included;

    public ConnectSubscription(
        ObservableCache<TObject, TKey> owner,
        IObserver<IChangeSet<TObject, TKey>> observer,
        Func<TObject, bool>? predicate)
        : base(owner)
    {
        _observer = observer;
        _predicate = predicate;
        _included = predicate is null ? null : [];
    }

    protected override void Unregister() => Owner.Unsubscribe(this);

    protected override void OnNext(in CacheNotification<TObject, TKey> notification)
    {
        Debug.Assert(notification.Changes is not null);
        ChangeSet<TObject, TKey>? changes = _predicate is null ? notification.Changes : Filter(notification.Changes);
        if (changes is not null)
        {
            _observer.OnNext(changes);
        }
    }

    protected override void OnCompleted() => _observer.OnCompleted();

    /// <summary>The change set this subscriber sees, or <see langword="null"/> when nothing is left.</summary>
    private ChangeSet<TObject, TKey>? Filter(ChangeSet<TObject, TKey> source)
    {
        // Most change sets pass unchanged; the shared instance is reused until the first change that differs.
        List<Change<TObject, TKey>>? result = null;
        for (int i = 0; i < source.Count; i++)
        {
            Change<TObject, TKey> change = source[i];
            Change<TObject, TKey>? mapped = Map(change, out bool unchanged);
            if (result is null)
            {
                if (unchanged)
                {
                    continue;
                }

                result = new List<Change<TObject, TKey>>(source.Count);
                for (int j = 0; j < i; j++)
                {
                    result.Add(source[j]);
                }
            }

            if (mapped is { } seen)
            {
                result.Add(seen);
            }
        }

        if (result is null)
        {
            return source;
        }

        return result.Count == 0 ? null : new ChangeSet<TObject, TKey>([.. result]);
    }

    /// <summary>What <paramref name="change"/> means to this subscriber's view, or <see langword="null"/> for nothing.</summary>
    private Change<TObject, TKey>? Map(in Change<TObject, TKey> change, out bool unchanged)
    {
        Debug.Assert(_predicate is not null && _included is not null);
        TKey key = change.Key;
        unchanged = false;
        switch (change.Reason)
        {
            case ChangeReason.Add:
                if (!_predicate(change.Current))
                {
                    return null;
                }

                _included.Add(key);
                unchanged = true;
                return change;

            case ChangeReason.Remove:
                if (!_included.Remove(key))
                {
                    return null;
                }

                unchanged = true;
                return change;

            default:
                bool wasIn = _included.Contains(key);
                bool isIn = _predicate(change.Current);
                if (wasIn && isIn)
                {
                    unchanged = true;
                    return change;
                }

                if (wasIn)
                {
                    // The observer holds the item it saw last: the previous one of an update.
                    _included.Remove(key);
                    TObject held = change.Reason == ChangeReason.Update ? change.Previous! : change.Current;
                    return new Change<TObject, TKey>(ChangeReason.Remove, key, held, null);
                }

                if (isIn)
                {
                    _included.Add(key);
                    return new Change<TObject, TKey>(ChangeReason.Add, key, change.Current, null);
                }

                return null;
        }
    }
}
