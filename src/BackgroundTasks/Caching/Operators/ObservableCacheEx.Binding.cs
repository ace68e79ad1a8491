using System.Collections.ObjectModel;

namespace BackgroundTasks.Caching;

/// <content>Bind.</content>
public static partial class ObservableCacheEx
{
    /// <summary>
    /// Keeps <paramref name="readOnlyObservableCollection"/> in step with the stream, in arrival order, and passes
    /// each change set on unchanged.
    /// </summary>
    /// <remarks>
    /// The collection is made at once and filled by each subscription (subscribe once). An Add appends, an Update
    /// replaces in place, a Remove removes, a Refresh changes nothing; the first load and a change set of more
    /// than 25 changes refill it with one Reset. It is changed on the delivering thread: put <c>ObserveOn</c>
    /// before this operator to change it on a UI thread.
    /// </remarks>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets to bind.</param>
    /// <param name="readOnlyObservableCollection">Receives the bound collection.</param>
    /// <returns>The source's change sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static IObservable<IChangeSet<TObject, TKey>> Bind<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        out ReadOnlyObservableCollection<TObject> readOnlyObservableCollection)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        var target = new BoundCollection<TObject>();
        readOnlyObservableCollection = new ReadOnlyObservableCollection<TObject>(target);
        return Operator<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>, BoundCollection<TObject>>(
            source, target, static (source, target, observer) => new Bind<TObject, TKey>(observer, target).Run(source));
    }
}
