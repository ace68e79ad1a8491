using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace BackgroundTasks.Collections;

/// <summary>
/// A hash map with the behaviour of <see cref="Dictionary{TKey, TValue}"/> (chained entries, a free list of removed
/// slots reused last-freed first, enumeration in slot order) whose arrays are <see cref="SegmentedArray{T}"/>s, so it
/// never allocates on the large object heap however many entries it holds.
/// </summary>
/// <remarks>
/// Only the members the library uses. Not thread-safe: its owners lock around it. Buckets are a power of two and the
/// hash is spread by Fibonacci hashing, so keys whose hash codes differ only in their high bits still spread.
/// </remarks>
/// <typeparam name="TKey">The type of the keys.</typeparam>
/// <typeparam name="TValue">The type of the values.</typeparam>
internal sealed partial class SegmentedDictionary<TKey, TValue>
    where TKey : notnull
{
    private const int MinCapacity = 4;

    // A free entry's Next encodes the next free entry below this value, so a free entry is told apart from the last entry of a chain (-1).
    private const int StartOfFreeList = -3;

    private readonly IEqualityComparer<TKey>? _comparer;
    private SegmentedArray<int> _buckets;
    private SegmentedArray<Entry> _entries;
    private int _bucketShift;
    private int _used;
    private int _freeList = -1;
    private int _freeCount;
    private int _version;

    /// <summary>Creates an empty map that compares keys with <paramref name="comparer"/> (the default comparer when null).</summary>
    public SegmentedDictionary(IEqualityComparer<TKey>? comparer = null)
    {
        // The default comparer is called directly (and devirtualized for value types) rather than through the interface.
        _comparer = comparer is null || ReferenceEquals(comparer, EqualityComparer<TKey>.Default) ? null : comparer;
    }

    /// <summary>The number of entries.</summary>
    public int Count => _used - _freeCount;

    /// <summary>How many entries fit before the arrays grow.</summary>
    public int Capacity => _entries.Length;

    /// <summary>The value under <paramref name="key"/>, or the default value.</summary>
    public TValue? GetValueOrDefault(TKey key)
    {
        var at = FindEntry(key);
        return at < 0 ? default : _entries[at].Value;
    }

    /// <summary>Whether <paramref name="key"/> has an entry; its value in <paramref name="value"/>.</summary>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var at = FindEntry(key);
        if (at < 0)
        {
            value = default;
            return false;
        }

        value = _entries[at].Value!;
        return true;
    }

    /// <summary>Whether <paramref name="key"/> has an entry.</summary>
    public bool ContainsKey(TKey key) => FindEntry(key) >= 0;

    /// <summary>Sets the value under <paramref name="key"/>, adding the entry when there is none.</summary>
    public TValue this[TKey key]
    {
        set => GetValueRefOrAddDefault(key, out _) = value;
    }

    /// <summary>
    /// The value slot of <paramref name="key"/>, added with the default value when missing (as
    /// <c>CollectionsMarshal.GetValueRefOrAddDefault</c>): one hash probe for a read and a write.
    /// </summary>
    /// <remarks>The reference is valid until the next addition or removal.</remarks>
    public ref TValue? GetValueRefOrAddDefault(TKey key, out bool exists)
    {
        if (_buckets.Length == 0)
        {
            Allocate(MinCapacity);
        }

        var hash = Hash(key);
        for (var at = _buckets[BucketOf(hash)] - 1; at >= 0;)
        {
            ref var entry = ref _entries[at];
            if (entry.HashCode == hash && KeyEquals(entry.Key, key))
            {
                exists = true;
                return ref entry.Value;
            }

            at = entry.Next;
        }

        int index;
        if (_freeCount > 0)
        {
            index = _freeList;
            _freeList = StartOfFreeList - _entries[index].Next;
            _freeCount--;
        }
        else
        {
            if (_used == _entries.Length)
            {
                Grow();
            }

            index = _used++;
        }

        ref var bucket = ref _buckets[BucketOf(hash)];
        ref var added = ref _entries[index];
        added.HashCode = hash;
        added.Next = bucket - 1;
        added.Key = key;
        added.Value = default;
        bucket = index + 1;
        _version++;
        exists = false;
        return ref added.Value;
    }

    /// <summary>Removes the entry of <paramref name="key"/>; its value in <paramref name="value"/>.</summary>
    public bool Remove(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_buckets.Length != 0)
        {
            var hash = Hash(key);
            ref var bucket = ref _buckets[BucketOf(hash)];
            for (int at = bucket - 1, previous = -1; at >= 0;)
            {
                ref var entry = ref _entries[at];
                if (entry.HashCode == hash && KeyEquals(entry.Key, key))
                {
                    if (previous < 0)
                    {
                        bucket = entry.Next + 1;
                    }
                    else
                    {
                        _entries[previous].Next = entry.Next;
                    }

                    value = entry.Value!;
                    Free(ref entry, at);
                    return true;
                }

                previous = at;
                at = entry.Next;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Removes the entry of <paramref name="key"/>.</summary>
    public bool Remove(TKey key) => Remove(key, out _);

    private int FindEntry(TKey key)
    {
        if (_buckets.Length == 0)
        {
            return -1;
        }

        var hash = Hash(key);
        for (var at = _buckets[BucketOf(hash)] - 1; at >= 0;)
        {
            ref var entry = ref _entries[at];
            if (entry.HashCode == hash && KeyEquals(entry.Key, key))
            {
                return at;
            }

            at = entry.Next;
        }

        return -1;
    }

    private void Free(ref Entry entry, int at)
    {
        entry.Next = StartOfFreeList - _freeList;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<TKey>())
        {
            entry.Key = default!;
        }

        if (RuntimeHelpers.IsReferenceOrContainsReferences<TValue>())
        {
            entry.Value = default;
        }

        _freeList = at;
        _freeCount++;
        _version++;
    }

    private uint Hash(TKey key) => (uint)(_comparer?.GetHashCode(key) ?? key.GetHashCode());

    private bool KeyEquals(TKey stored, TKey key) =>
        _comparer?.Equals(stored, key) ?? EqualityComparer<TKey>.Default.Equals(stored, key);

    // Fibonacci hashing: the top bits of the product, so every bit of the hash code moves the bucket.
    private int BucketOf(uint hash) => (int)((hash * 2654435769u) >> _bucketShift);

    private void Allocate(int capacity)
    {
        _buckets = new SegmentedArray<int>(capacity);
        _entries = new SegmentedArray<Entry>(capacity);
        _bucketShift = 32 - BitOperations.Log2((uint)capacity);
    }

    /// <summary>Doubles the capacity. Only when no slot is free, so every slot below the used count holds an entry.</summary>
    private void Grow()
    {
        var entries = _entries;
        Allocate(entries.Length * 2);
        entries.CopyTo(_entries, _used);
        for (var at = 0; at < _used; at++)
        {
            ref var entry = ref _entries[at];
            ref var bucket = ref _buckets[BucketOf(entry.HashCode)];
            entry.Next = bucket - 1;
            bucket = at + 1;
        }
    }

    private struct Entry
    {
        public uint HashCode;
        public int Next;
        public TKey Key;
        public TValue? Value;
    }
}
