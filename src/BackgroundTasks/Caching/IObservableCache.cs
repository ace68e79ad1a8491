namespace BackgroundTasks.Caching;

/// <summary>A keyed cache whose contents and changes can be observed.</summary>
/// <remarks>
/// Observers are never called concurrently, nor while the cache holds its lock, so they may call back into
/// the cache (read, write, subscribe, dispose their subscription) from <c>OnNext</c>; a change made there is
/// delivered after the current <c>OnNext</c> returns. Every subscriber sees one key's changes in the order
/// the cache made them. An observer that disposes its subscription inside <c>OnNext</c> receives nothing more.
/// Disposing the cache completes every stream.
/// </remarks>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
public interface IObservableCache<TObject, TKey> : IDisposable
    where TObject : class
    where TKey : notnull
{
    /// <summary>Gets how many items the cache holds.</summary>
    int Count { get; }

    /// <summary>Gets a snapshot of the items, safe to enumerate while others write.</summary>
    IReadOnlyCollection<TObject> Items { get; }

    /// <summary>Gets a snapshot of the keys, safe to enumerate while others write.</summary>
    IReadOnlyCollection<TKey> Keys { get; }

    /// <summary>Gets a stream of the cache's count: the current count, then each new count when it changes.</summary>
    IObservable<int> CountChanged { get; }

    /// <summary>Gets the item the key holds.</summary>
    /// <param name="key">The key to look up.</param>
    /// <returns>The item, or <see langword="null"/> when the cache does not hold the key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    TObject? Lookup(TKey key);

    /// <summary>
    /// Observes the cache: the current contents as one change set of Adds (skipped when empty), then every
    /// later change set.
    /// </summary>
    /// <remarks>
    /// The snapshot and the subscription are taken together, so a subscriber sees no gap and no duplicate.
    /// With a <paramref name="predicate"/>, only matching items are seen: an item that stops matching
    /// arrives as a <see cref="ChangeReason.Remove"/>, one that starts matching as an
    /// <see cref="ChangeReason.Add"/>, and a change set with nothing left is not sent. The predicate runs
    /// outside the cache's lock, on the delivering thread. On a disposed cache the stream completes at once.
    /// </remarks>
    /// <param name="predicate">Which items to observe; <see langword="null"/> for all.</param>
    /// <returns>A stream of change sets.</returns>
    IObservable<IChangeSet<TObject, TKey>> Connect(Func<TObject, bool>? predicate = null);

    /// <summary>Observes one key: its current item as an Add change (if any), then each change to it.</summary>
    /// <param name="key">The key to observe.</param>
    /// <returns>A stream of changes to <paramref name="key"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    IObservable<Change<TObject, TKey>> Watch(TKey key);
}
