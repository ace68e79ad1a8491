namespace BackgroundTasks.Caching;

/// <summary>
/// Writes to a <see cref="SourceCache{TObject, TKey}"/> inside
/// <see cref="SourceCache{TObject, TKey}.Edit(Action{ISourceUpdater{TObject, TKey}})"/>; everything done
/// through it becomes one change set.
/// </summary>
/// <remarks>
/// An updater is valid only inside the edit callback that received it, on that callback's thread;
/// using it afterwards throws <see cref="InvalidOperationException"/>.
/// </remarks>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
public interface ISourceUpdater<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    /// <summary>Adds the item under its key, or replaces the item that key holds.</summary>
    /// <param name="item">The item to store.</param>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The edit this updater belongs to has ended.</exception>
    void AddOrUpdate(TObject item);

    /// <summary>Adds or replaces each item in turn.</summary>
    /// <param name="items">The items to store.</param>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or one of its items is null.</exception>
    /// <exception cref="InvalidOperationException">The edit this updater belongs to has ended.</exception>
    void AddOrUpdate(IEnumerable<TObject> items);

    /// <summary>Removes the key; does nothing when the cache does not hold it.</summary>
    /// <param name="key">The key to remove.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The edit this updater belongs to has ended.</exception>
    void Remove(TKey key);

    /// <summary>Emits a <see cref="ChangeReason.Refresh"/> for the key; does nothing when the cache does not hold it.</summary>
    /// <param name="key">The key to refresh.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The edit this updater belongs to has ended.</exception>
    void Refresh(TKey key);

    /// <summary>Gets the item the key holds, including changes made earlier in this edit.</summary>
    /// <param name="key">The key to look up.</param>
    /// <returns>The item, or <see langword="null"/> when the cache does not hold the key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The edit this updater belongs to has ended.</exception>
    TObject? Lookup(TKey key);
}
