namespace BackgroundTasks.Collections;

/// <content>Enumeration: the allocation-free enumerator and the copies of the keys and values.</content>
internal sealed partial class SegmentedDictionary<TKey, TValue>
{
    /// <summary>The values, in enumeration order.</summary>
    public TValue[] CopyValues()
    {
        var values = new TValue[Count];
        var next = 0;
        foreach (var pair in this)
        {
            values[next++] = pair.Value;
        }

        return values;
    }

    /// <summary>The keys, in enumeration order.</summary>
    public TKey[] CopyKeys()
    {
        var keys = new TKey[Count];
        var next = 0;
        foreach (var pair in this)
        {
            keys[next++] = pair.Key;
        }

        return keys;
    }

    /// <summary>Enumerates the entries in slot order (insertion order until something is removed).</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Walks the used slots in order, skipping free ones; throws if the map changes meanwhile, as a dictionary's does.</summary>
    public struct Enumerator
    {
        private readonly SegmentedDictionary<TKey, TValue> _map;
        private readonly int _version;
        private int _next;

        internal Enumerator(SegmentedDictionary<TKey, TValue> map)
        {
            _map = map;
            _version = map._version;
            _next = 0;
            Current = default;
        }

        /// <summary>The entry at the current position.</summary>
        public KeyValuePair<TKey, TValue> Current { get; private set; }

        /// <summary>Moves to the next entry.</summary>
        /// <exception cref="InvalidOperationException">The map was changed since the enumeration began.</exception>
        public bool MoveNext()
        {
            if (_version != _map._version)
            {
                throw new InvalidOperationException(Messages.CollectionChangedDuringEnumeration);
            }

            while (_next < _map._used)
            {
                ref var entry = ref _map._entries[_next++];
                if (entry.Next >= -1)
                {
                    Current = new KeyValuePair<TKey, TValue>(entry.Key, entry.Value!);
                    return true;
                }
            }

            return false;
        }
    }
}
