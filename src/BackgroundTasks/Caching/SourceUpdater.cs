using System.Diagnostics;

namespace BackgroundTasks.Caching;

/// <summary>
/// The <see cref="ISourceUpdater{TObject, TKey}"/> handed to edit callbacks. One per cache, reused by every
/// edit; it writes straight into the engine, which holds its lock for the whole callback.
/// </summary>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class SourceUpdater<TObject, TKey> : ISourceUpdater<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    private readonly ObservableCache<TObject, TKey> _cache;

    public SourceUpdater(ObservableCache<TObject, TKey> cache) => _cache = cache;

    public void AddOrUpdate(TObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ThrowIfOutsideEdit();
        _cache.AddOrUpdateCore(item, _cache.KeySelector(item));
    }

    public void AddOrUpdate(IEnumerable<TObject> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        ThrowIfOutsideEdit();
        foreach (TObject item in items)
        {
            if (item is null)
            {
                throw new ArgumentNullException(nameof(items), Messages.NullItem);
            }

            _cache.AddOrUpdateCore(item, _cache.KeySelector(item));
        }
    }

    /// <summary>Adds or replaces an item whose key the caller already computed (outside the lock).</summary>
    /// <param name="item">The item.</param>
    /// <param name="key">Its key.</param>
    public void AddOrUpdate(TObject item, TKey key)
    {
        ThrowIfOutsideEdit();
        _cache.AddOrUpdateCore(item, key);
    }

    /// <summary>Adds or replaces <paramref name="item"/> and returns the item it replaced, if any: a lookup and a write in one probe.</summary>
    /// <param name="item">The item.</param>
    /// <returns>The item previously under the same key, or null.</returns>
    internal TObject? Exchange(TObject item)
    {
        Debug.Assert(item is not null);
        ThrowIfOutsideEdit();
        return _cache.ExchangeCore(item, _cache.KeySelector(item));
    }

    /// <summary>
    /// <see cref="Exchange(TObject)"/>, unless <paramref name="keepsCurrent"/> (current, new) says the item already under
    /// the key stays; then nothing changes and <paramref name="exchanged"/> is false. One probe either way.
    /// </summary>
    internal TObject? Exchange(TObject item, Func<TObject, TObject, bool> keepsCurrent, out bool exchanged)
    {
        Debug.Assert(item is not null);
        ThrowIfOutsideEdit();
        return _cache.ExchangeCore(item, _cache.KeySelector(item), keepsCurrent, out exchanged);
    }

    public void Remove(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfOutsideEdit();
        _cache.RemoveCore(key);
    }

    public void Refresh(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfOutsideEdit();
        _cache.RefreshCore(key);
    }

    public TObject? Lookup(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfOutsideEdit();
        return _cache.LookupCore(key);
    }

    private void ThrowIfOutsideEdit()
    {
        if (!_cache.IsEditingOnCurrentThread)
        {
            throw new InvalidOperationException(Messages.UpdaterOutsideEdit);
        }
    }
}
