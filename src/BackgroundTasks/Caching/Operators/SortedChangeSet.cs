using System.Collections;

namespace BackgroundTasks.Caching;

/// <summary>A source change set and the sorted contents after it.</summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class SortedChangeSet<TObject, TKey> : ISortedChangeSet<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    private readonly IChangeSet<TObject, TKey> _changes;

    public SortedChangeSet(IChangeSet<TObject, TKey> changes, KeyValuePair<TKey, TObject>[] sortedItems)
    {
        _changes = changes;
        SortedItems = sortedItems;
    }

    public IReadOnlyList<KeyValuePair<TKey, TObject>> SortedItems { get; }

    public int Adds => _changes.Adds;

    public int Updates => _changes.Updates;

    public int Removes => _changes.Removes;

    public int Refreshes => _changes.Refreshes;

    public int Count => _changes.Count;

    public Change<TObject, TKey> this[int index] => _changes[index];

    public IEnumerator<Change<TObject, TKey>> GetEnumerator() => _changes.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{_changes}, {SortedItems.Count} sorted items";
}
