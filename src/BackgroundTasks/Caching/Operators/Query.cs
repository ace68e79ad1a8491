namespace BackgroundTasks.Caching;

/// <summary>An immutable snapshot of a keyed stream's contents, over a dictionary it owns.</summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class Query<TObject, TKey> : IQuery<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    private readonly Dictionary<TKey, TObject> _items;

    /// <param name="items">The contents; the snapshot takes it over and never changes it.</param>
    public Query(Dictionary<TKey, TObject> items) => _items = items;

    public int Count => _items.Count;

    public IReadOnlyCollection<TObject> Items => _items.Values;

    public IReadOnlyCollection<TKey> Keys => _items.Keys;

    public TObject? Lookup(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _items.GetValueOrDefault(key);
    }

    public override string ToString() => $"Query: {Count} items";
}
