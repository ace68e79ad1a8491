using BackgroundTasks.Reactive;

namespace BackgroundTasks.Caching;

/// <content>MergeChangeSets.</content>
public static partial class ObservableCacheEx
{
    /// <summary>Merges keyed streams into one: the first source to add a key owns it.</summary>
    /// <remarks>
    /// The other sources' items under an owned key stay hidden until the owner removes it; then the first source,
    /// in the order given, that holds the key takes over (an Update to its item), or the key goes (a Remove). The
    /// sources are taken when this is called. The stream completes when every source has completed (at once for
    /// none) and fails as soon as one fails.
    /// </remarks>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The streams to merge.</param>
    /// <returns>The merged change sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null or holds a null stream.</exception>
    public static IObservable<IChangeSet<TObject, TKey>> MergeChangeSets<TObject, TKey>(
        this IEnumerable<IObservable<IChangeSet<TObject, TKey>>> source)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        IObservable<IChangeSet<TObject, TKey>>[] sources = [.. source];
        if (Array.IndexOf(sources, null) >= 0)
        {
            throw new ArgumentNullException(nameof(source), Messages.NullSourceStream);
        }

        return new DelegateObservable<IChangeSet<TObject, TKey>, IObservable<IChangeSet<TObject, TKey>>[]>(
            sources, static (sources, observer) => new MergeChangeSets<TObject, TKey>(observer, sources.Length).Run(sources));
    }
}
