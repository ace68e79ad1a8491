using System.Collections.ObjectModel;

namespace BackgroundTasks.Caching;

/// <content>Sort and SortAndBind.</content>
public static partial class ObservableCacheEx
{
    /// <summary>Sorts the stream: each change set is the source's, with every current item in order.</summary>
    /// <remarks>
    /// Items that compare equal keep their arrival order. A Refresh re-sorts its item. Each change set carries its
    /// own immutable copy of the sorted items.
    /// </remarks>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets to sort.</param>
    /// <param name="comparer">The order.</param>
    /// <returns>The sorted change sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="comparer"/> is null.</exception>
    public static IObservable<ISortedChangeSet<TObject, TKey>> Sort<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        IComparer<TObject> comparer)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(comparer);
        return Operator<IChangeSet<TObject, TKey>, ISortedChangeSet<TObject, TKey>, IComparer<TObject>>(
            source, comparer, static (source, comparer, observer) => new Sort<TObject, TKey>(observer, comparer).Run(source));
    }

    /// <summary>
    /// Keeps <paramref name="readOnlyObservableCollection"/> sorted by <paramref name="comparer"/> and in step with
    /// the stream, and passes each change set on unchanged.
    /// </summary>
    /// <remarks>
    /// The collection is made at once and filled by each subscription (subscribe once). Each change is the
    /// smallest edit of it (insert, remove, replace in place, move); the first load and a change set of more than
    /// 25 changes refill it with one Reset. It is changed on the delivering thread: put <c>ObserveOn</c> before
    /// this operator to change it on a UI thread.
    /// </remarks>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets to bind.</param>
    /// <param name="readOnlyObservableCollection">Receives the bound collection.</param>
    /// <param name="comparer">The order.</param>
    /// <returns>The source's change sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="comparer"/> is null.</exception>
    public static IObservable<IChangeSet<TObject, TKey>> SortAndBind<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        out ReadOnlyObservableCollection<TObject> readOnlyObservableCollection,
        IComparer<TObject> comparer)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(comparer);
        var target = new BoundCollection<TObject>();
        readOnlyObservableCollection = new ReadOnlyObservableCollection<TObject>(target);
        return Operator<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>, (BoundCollection<TObject> Target, IComparer<TObject> Comparer)>(
            source,
            (target, comparer),
            static (source, state, observer) => new SortAndBind<TObject, TKey>(observer, state.Target, state.Comparer).Run(source));
    }
}
