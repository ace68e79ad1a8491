using BackgroundTasks.Reactive;

namespace BackgroundTasks.Caching;

/// <summary>
/// DynamicData's change-set operators, with DynamicData's names and meaning, over this library's
/// <see cref="IChangeSet{TObject, TKey}"/> and <see cref="IObservableCache{TObject, TKey}"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every operator keeps the cache's delivery rules: its subscriber is never called concurrently nor while a lock
/// is held, one key's changes arrive in order, it never emits an empty change set, it completes when its source
/// completes and passes the source's error on. Arguments are checked when the operator is called, not when it is
/// subscribed to. Each subscription has its own state; nothing is shared between subscribers.
/// </para>
/// <para>
/// Code handed to an operator (a predicate, a transform, a group key selector, a comparer, an action, the handlers
/// of a bound collection) runs on the delivering thread. If it throws, the chain ends with that exception as
/// <c>OnError</c> and unsubscribes from its source, as Rx's own operators and DynamicData's do. An exception
/// thrown by a subscriber's own <c>OnNext</c> is not caught: it propagates to the thread that delivered, where the
/// cache handles it as it handles any observer's (the other subscribers still receive the change set).
/// </para>
/// </remarks>
public static partial class ObservableCacheEx
{
    /// <summary>An operator over one source whose subscriptions are made by <paramref name="subscribe"/>.</summary>
    private static DelegateObservable<TResult, (IObservable<TSource> Source, TState State)> Operator<TSource, TResult, TState>(
        IObservable<TSource> source,
        TState state,
        Func<IObservable<TSource>, TState, IObserver<TResult>, IDisposable> subscribe) =>
        new((source, state), (s, observer) => subscribe(s.Source, s.State, observer));
}
