namespace BackgroundTasks.Caching;

/// <summary>An immutable snapshot of a keyed stream's contents, as <c>QueryWhenChanged</c> emits it.</summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
public interface IQuery<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    /// <summary>Gets how many items the snapshot holds.</summary>
    int Count { get; }

    /// <summary>Gets the items.</summary>
    IReadOnlyCollection<TObject> Items { get; }

    /// <summary>Gets the keys.</summary>
    IReadOnlyCollection<TKey> Keys { get; }

    /// <summary>Gets the item the key held when the snapshot was taken.</summary>
    /// <param name="key">The key to look up.</param>
    /// <returns>The item, or <see langword="null"/> when the snapshot does not hold the key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    TObject? Lookup(TKey key);
}
