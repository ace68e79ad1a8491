using BackgroundTasks.Reactive;

namespace BackgroundTasks.Caching;

/// <content>OnItemAdded, OnItemUpdated and OnItemRemoved.</content>
public static partial class ObservableCacheEx
{
    /// <summary>Runs <paramref name="addAction"/> for each added item, then passes the change set on unchanged.</summary>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets.</param>
    /// <param name="addAction">Runs for each Add, on the delivering thread, before the change set is passed on.</param>
    /// <returns>The source's change sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="addAction"/> is null.</exception>
    public static IObservable<IChangeSet<TObject, TKey>> OnItemAdded<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        Action<TObject> addAction)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(addAction);
        return OnItem(source, ChangeReason.Add, change => addAction(change.Current));
    }

    /// <summary>Runs <paramref name="updateAction"/> for each updated item, then passes the change set on unchanged.</summary>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets.</param>
    /// <param name="updateAction">Runs for each Update with the current item, then the previous one.</param>
    /// <returns>The source's change sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="updateAction"/> is null.</exception>
    public static IObservable<IChangeSet<TObject, TKey>> OnItemUpdated<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        Action<TObject, TObject> updateAction)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(updateAction);
        return OnItem(source, ChangeReason.Update, change => updateAction(change.Current, change.Previous!));
    }

    /// <summary>
    /// Runs <paramref name="removeAction"/> for each removed item and, when the subscription ends, for every item
    /// still held; passes each change set on unchanged.
    /// </summary>
    /// <remarks>
    /// With <paramref name="invokeOnUnsubscribe"/>, the items still held are passed to the action once the
    /// subscription is disposed, or the stream completes or fails (after the subscriber is told), on that thread;
    /// if a change set is being delivered at that moment, they are passed by the delivering thread once it is done.
    /// </remarks>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets.</param>
    /// <param name="removeAction">Runs for each Remove, before the change set is passed on.</param>
    /// <param name="invokeOnUnsubscribe">Whether the items still held go to the action when the subscription ends.</param>
    /// <returns>The source's change sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="removeAction"/> is null.</exception>
    public static IObservable<IChangeSet<TObject, TKey>> OnItemRemoved<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        Action<TObject> removeAction,
        bool invokeOnUnsubscribe = true)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(removeAction);
        return Operator<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>, (Action<TObject> Action, bool OnUnsubscribe)>(
            source,
            (removeAction, invokeOnUnsubscribe),
            static (source, state, observer) => new OnItemRemoved<TObject, TKey>(observer, state.Action, state.OnUnsubscribe).Run(source));
    }

    private static DelegateObservable<IChangeSet<TObject, TKey>, (IObservable<IChangeSet<TObject, TKey>> Source, (ChangeReason Reason, Action<Change<TObject, TKey>> Action) State)> OnItem<TObject, TKey>(
        IObservable<IChangeSet<TObject, TKey>> source,
        ChangeReason reason,
        Action<Change<TObject, TKey>> action)
        where TObject : class
        where TKey : notnull =>
        Operator<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>, (ChangeReason Reason, Action<Change<TObject, TKey>> Action)>(
            source,
            (reason, action),
            static (source, state, observer) => new OnItemAction<TObject, TKey>(observer, state.Reason, state.Action).Run(source));
}
