namespace BackgroundTasks.Caching;

/// <content>QueryWhenChanged, ToCollection and AsObservableCache.</content>
public static partial class ObservableCacheEx
{
    /// <summary>An immutable snapshot of the contents after each change set.</summary>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets.</param>
    /// <returns>One snapshot per change set received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static IObservable<IQuery<TObject, TKey>> QueryWhenChanged<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        return Operator<IChangeSet<TObject, TKey>, IQuery<TObject, TKey>, bool>(
            source, false, static (source, _, observer) => new QueryWhenChanged<TObject, TKey>(observer).Run(source));
    }

    /// <summary>The items after each change set, as an immutable collection.</summary>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets.</param>
    /// <returns>One collection per change set received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static IObservable<IReadOnlyCollection<TObject>> ToCollection<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        return Operator<IChangeSet<TObject, TKey>, IReadOnlyCollection<TObject>, bool>(
            source, false, static (source, _, observer) => new ToCollection<TObject, TKey>(observer).Run(source));
    }

    /// <summary>Subscribes to the stream now and keeps a read-only cache of its contents.</summary>
    /// <remarks>
    /// The cache has the delivery rules of any cache. Disposing it unsubscribes from the stream and completes its
    /// streams; so does the stream's completion, and its error fails them. Its reads keep the last contents.
    /// </remarks>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets.</param>
    /// <returns>The cache.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static IObservableCache<TObject, TKey> AsObservableCache<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        var sink = new AsObservableCache<TObject, TKey>();
        sink.Run(source);
        return sink.Cache;
    }
}
