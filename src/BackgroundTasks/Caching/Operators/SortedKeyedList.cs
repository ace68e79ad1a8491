namespace BackgroundTasks.Caching;

/// <summary>
/// Keyed items kept in the order of a comparer; the state of <c>Sort</c> and <c>SortAndBind</c>. Items that
/// compare equal keep their arrival order, so the order is stable.
/// </summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class SortedKeyedList<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    private readonly IComparer<TObject> _comparer;
    private readonly List<KeyValuePair<TKey, TObject>> _items = [];
    private readonly Dictionary<TKey, TObject> _held = [];

    public SortedKeyedList(IComparer<TObject> comparer) => _comparer = comparer;

    /// <summary>Gets the items, in order.</summary>
    public IReadOnlyList<KeyValuePair<TKey, TObject>> Items => _items;

    public int Count => _items.Count;

    /// <summary>
    /// Applies a change set and tells <paramref name="listener"/> (a bound list) each move it made, by index.
    /// </summary>
    /// <param name="changes">The changes.</param>
    /// <param name="listener">Told of each insert, removal, replacement and move; <see langword="null"/> for nobody.</param>
    public void Apply(IChangeSet<TObject, TKey> changes, ISortedListListener<TObject>? listener)
    {
        if (_items.Count == 0 && changes.Adds == changes.Count)
        {
            // A first load (a cache's snapshot): one sort instead of a binary insert per item.
            // By index: a foreach over the interface would box an enumerator per change set.
            for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
            {
                Change<TObject, TKey> change = changes[at];
                _held[change.Key] = change.Current;
            }

            // From the change set, not the dictionary: after removals a dictionary no longer enumerates in
            // arrival order, which equal items must keep.
            Load(changes.Select(static change => new KeyValuePair<TKey, TObject>(change.Key, change.Current)));
            listener?.Loaded(_items.Select(static pair => pair.Value));
            return;
        }

        // By index: a foreach over the interface would box an enumerator per change set.
        for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
        {
            Change<TObject, TKey> change = changes[at];
            TKey key = change.Key;
            bool known = _held.TryGetValue(key, out TObject? held);
            switch (change.Reason)
            {
                case ChangeReason.Remove:
                    if (known)
                    {
                        _held.Remove(key);
                        int index = Remove(key, held!);
                        listener?.Removed(index);
                    }

                    break;

                case ChangeReason.Refresh:
                    if (known)
                    {
                        (int from, int to) = Move(key, held!, held!);
                        if (from != to)
                        {
                            listener?.Moved(from, to);
                        }
                    }

                    break;

                default:
                    _held[key] = change.Current;
                    if (!known)
                    {
                        // Not inside listener?.Inserted(...): a null listener would skip the insert itself.
                        int index = Insert(key, change.Current);
                        listener?.Inserted(index, change.Current);
                        break;
                    }

                    (int oldIndex, int newIndex) = Move(key, held!, change.Current);
                    if (oldIndex == newIndex)
                    {
                        listener?.Replaced(newIndex, change.Current);
                    }
                    else
                    {
                        listener?.Removed(oldIndex);
                        listener?.Inserted(newIndex, change.Current);
                    }

                    break;
            }
        }
    }

    /// <summary>Inserts an item after every item that compares equal to it.</summary>
    /// <returns>The index it went to.</returns>
    private int Insert(TKey key, TObject item)
    {
        int index = UpperBound(item);
        _items.Insert(index, new KeyValuePair<TKey, TObject>(key, item));
        return index;
    }

    /// <summary>Removes the key, which holds <paramref name="held"/> (the item as it was inserted).</summary>
    /// <returns>The index it was at, or -1 when the list does not hold the key.</returns>
    private int Remove(TKey key, TObject held)
    {
        int index = IndexOf(key, held);
        if (index >= 0)
        {
            _items.RemoveAt(index);
        }

        return index;
    }

    /// <summary>Replaces the key's item and moves it to where <paramref name="current"/> sorts.</summary>
    /// <returns>Where it was and where it is now; From is -1 when the list did not hold the key.</returns>
    private (int From, int To) Move(TKey key, TObject held, TObject current)
    {
        int from = Remove(key, held);
        return (from, Insert(key, current));
    }

    /// <summary>Replaces the contents with <paramref name="items"/>, sorted stably.</summary>
    private void Load(IEnumerable<KeyValuePair<TKey, TObject>> items)
    {
        _items.Clear();
        _items.AddRange(items.OrderBy(static pair => pair.Value, _comparer));   // OrderBy is stable
    }

    /// <summary>Where the key is: a binary search for its item, then a scan when the item changed in place.</summary>
    private int IndexOf(TKey key, TObject held)
    {
        EqualityComparer<TKey> keys = EqualityComparer<TKey>.Default;
        for (int i = LowerBound(held); i < _items.Count && _comparer.Compare(_items[i].Value, held) == 0; i++)
        {
            if (keys.Equals(_items[i].Key, key))
            {
                return i;
            }
        }

        // A mutable item refreshed after its sort value changed is no longer where a search looks for it.
        return _items.FindIndex(pair => keys.Equals(pair.Key, key));
    }

    private int LowerBound(TObject item)
    {
        int low = 0;
        int high = _items.Count;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (_comparer.Compare(_items[middle].Value, item) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private int UpperBound(TObject item)
    {
        int low = 0;
        int high = _items.Count;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (_comparer.Compare(_items[middle].Value, item) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
