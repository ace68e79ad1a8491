using System.Reactive;
using System.Reactive.Linq;
using BackgroundTasks.Caching;
using Microsoft.Reactive.Testing;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>
/// The base of the operator tests: a <see cref="TestScheduler"/> to play hand-made change sets in virtual time and
/// record what an operator emits (subscribed at 200, disposed at 1000, as <see cref="TestScheduler.Start{T}(Func{IObservable{T}})"/> does).
/// </summary>
public abstract class OperatorTest : ReactiveTest
{
    protected TestScheduler Scheduler { get; } = new();

    /// <summary>A hot source that plays the given change sets at their times.</summary>
    private protected ITestableObservable<IChangeSet<Item, string>> Source(params Recorded<Notification<IChangeSet<Item, string>>>[] messages) =>
        Scheduler.CreateHotObservable(messages);

    /// <summary>Runs the operator chain over the scheduler and records its change sets as text.</summary>
    protected IList<Recorded<Notification<string>>> Record<TObject, TKey>(
        Func<IObservable<IChangeSet<TObject, TKey>>> chain,
        Func<TObject, string> show)
        where TObject : class
        where TKey : notnull =>
        Scheduler.Start(() => chain().Select(changes => ChangeText.Of(changes, show))).Messages;

    /// <summary>Runs an operator chain over <see cref="Item"/>s and records its change sets as text.</summary>
    private protected IList<Recorded<Notification<string>>> Record(Func<IObservable<IChangeSet<Item, string>>> chain) =>
        Scheduler.Start(() => chain().Select(changes => ChangeText.Of(changes))).Messages;

    private protected static Recorded<Notification<IChangeSet<Item, string>>> At(long ticks, params Change<Item, string>[] changes) =>
        OnNext(ticks, Changes.Set(changes));
}
