namespace BackgroundTasks.Caching;

/// <content>Transform.</content>
public static partial class ObservableCacheEx
{
    /// <summary>Maps each item to a <typeparamref name="TDestination"/> under the same key.</summary>
    /// <remarks>
    /// An Add or Update runs <paramref name="transform"/> (an Update's previous is the item it made before); a
    /// Refresh is passed on with the item already made, without re-transforming. A transform that returns null
    /// fails the stream with an <see cref="InvalidOperationException"/>.
    /// </remarks>
    /// <typeparam name="TObject">The type of the source items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <typeparam name="TDestination">The type of the items made.</typeparam>
    /// <param name="source">The change sets to transform.</param>
    /// <param name="transform">Makes the destination item of a source item.</param>
    /// <returns>The transformed change sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="transform"/> is null.</exception>
    public static IObservable<IChangeSet<TDestination, TKey>> Transform<TObject, TKey, TDestination>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        Func<TObject, TDestination> transform)
        where TObject : class
        where TKey : notnull
        where TDestination : class
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(transform);
        return source.Transform<TObject, TKey, TDestination>((item, _) => transform(item));
    }

    /// <summary>Maps each item, with its key, to a <typeparamref name="TDestination"/> under the same key.</summary>
    /// <remarks>
    /// An Add or Update runs <paramref name="transform"/> (an Update's previous is the item it made before); a
    /// Refresh is passed on with the item already made, without re-transforming. A transform that returns null
    /// fails the stream with an <see cref="InvalidOperationException"/>.
    /// </remarks>
    /// <typeparam name="TObject">The type of the source items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <typeparam name="TDestination">The type of the items made.</typeparam>
    /// <param name="source">The change sets to transform.</param>
    /// <param name="transform">Makes the destination item of a source item and its key.</param>
    /// <returns>The transformed change sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="transform"/> is null.</exception>
    public static IObservable<IChangeSet<TDestination, TKey>> Transform<TObject, TKey, TDestination>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        Func<TObject, TKey, TDestination> transform)
        where TObject : class
        where TKey : notnull
        where TDestination : class
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(transform);
        return Operator<IChangeSet<TObject, TKey>, IChangeSet<TDestination, TKey>, Func<TObject, TKey, TDestination>>(
            source,
            transform,
            static (source, transform, observer) => new Transform<TObject, TKey, TDestination>(observer, transform).Run(source));
    }
}
