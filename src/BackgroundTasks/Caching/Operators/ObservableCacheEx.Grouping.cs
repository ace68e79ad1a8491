namespace BackgroundTasks.Caching;

/// <content>Group.</content>
public static partial class ObservableCacheEx
{
    /// <summary>
    /// Groups the items by <paramref name="groupKey"/>: a stream of groups, each with a live cache of its members.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The stream's change sets are Adds of groups that appear and Removes of groups left empty. An Update or
    /// Refresh whose group key changed moves the item: it leaves the old group's cache and joins the new one's.
    /// A change that keeps an item in its group changes only that group's cache, with no group-level change set.
    /// </para>
    /// <para>
    /// Each change set is applied to every group's cache before the group-level change set is sent, so a group
    /// arrives with its members in place. A removed group's streams complete after its Remove is sent; every
    /// group's streams complete (or fail) when the grouped stream ends or its subscription is disposed. A group
    /// key selector that returns null fails the stream with an <see cref="InvalidOperationException"/>.
    /// </para>
    /// </remarks>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <typeparam name="TGroupKey">The type of the group key.</typeparam>
    /// <param name="source">The change sets to group.</param>
    /// <param name="groupKey">Gives an item's group key.</param>
    /// <returns>The groups' change sets, keyed by group key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="groupKey"/> is null.</exception>
    public static IObservable<IChangeSet<IGroup<TObject, TKey, TGroupKey>, TGroupKey>> Group<TObject, TKey, TGroupKey>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        Func<TObject, TGroupKey> groupKey)
        where TObject : class
        where TKey : notnull
        where TGroupKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(groupKey);
        return Operator<IChangeSet<TObject, TKey>, IChangeSet<IGroup<TObject, TKey, TGroupKey>, TGroupKey>, Func<TObject, TGroupKey>>(
            source, groupKey, static (source, groupKey, observer) => new Group<TObject, TKey, TGroupKey>(observer, groupKey).Run(source));
    }
}
