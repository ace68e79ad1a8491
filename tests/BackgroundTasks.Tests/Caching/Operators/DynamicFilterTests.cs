using System.Reactive;
using BackgroundTasks.Caching;
using Microsoft.Reactive.Testing;
using static BackgroundTasks.Tests.Caching.Operators.Changes;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>Filter with a stream of predicates: DynamicData's dynamic-predicate filter scenarios, in virtual time.</summary>
public sealed class DynamicFilterTests : OperatorTest
{
    private static readonly Func<Item, bool> s_even = item => item.Value % 2 == 0;
    private static readonly Func<Item, bool> s_odd = item => item.Value % 2 != 0;
    private static readonly Func<Item, bool> s_all = _ => true;

    /// <summary>A recorded predicate (ReactiveTest.OnNext would take a bare lambda for a value matcher).</summary>
    private static Recorded<Notification<Func<Item, bool>>> Predicate(long ticks, Func<Item, bool> predicate) =>
        OnNext<Func<Item, bool>>(ticks, predicate);

    [Fact]
    public void Filter_NoPredicateYet_SendsNothing()
    {
        var source = Source(At(300, Add("a", 1), Add("b", 2)));
        var predicates = Scheduler.CreateHotObservable<Func<Item, bool>>();

        Assert.Empty(Record(() => source.Filter(predicates)));
    }

    [Fact]
    public void Filter_FirstPredicate_EvaluatesEveryItemHeldSoFar()
    {
        var source = Source(At(300, Add("a", 1), Add("b", 2)), At(500, Add("c", 4)));
        var predicates = Scheduler.CreateHotObservable(Predicate(400, s_even));

        Assert.Equal([OnNext(400, "+b=2"), OnNext(500, "+c=4")], Record(() => source.Filter(predicates)));
    }

    [Fact]
    public void Filter_NewPredicate_AddsWhatStartsMatchingAndRemovesWhatStops()
    {
        var source = Source(At(300, Add("a", 1), Add("b", 2), Add("c", 3)));
        var predicates = Scheduler.CreateHotObservable(Predicate(250, s_even), Predicate(400, s_odd), Predicate(500, s_all));

        var messages = Record(() => source.Filter(predicates));

        Assert.Equal([OnNext(300, "+b=2"), OnNext(400, "+a=1 -b=2 +c=3"), OnNext(500, "+b=2")], messages);
    }

    [Fact]
    public void Filter_SamePredicateAgain_SendsNothing()
    {
        var source = Source(At(300, Add("a", 2)));
        var predicates = Scheduler.CreateHotObservable(Predicate(250, s_even), Predicate(400, s_even));

        Assert.Equal([OnNext(300, "+a=2")], Record(() => source.Filter(predicates)));
    }

    [Fact]
    public void Filter_ChangesAfterAPredicate_FollowItLikeAStaticFilter()
    {
        var source = Source(At(300, Add("a", 2)), At(400, Update("a", 3, 2)), At(500, Update("a", 4, 3)), At(600, Remove("a", 4)));
        var predicates = Scheduler.CreateHotObservable(Predicate(250, s_even));

        var messages = Record(() => source.Filter(predicates));

        Assert.Equal([OnNext(300, "+a=2"), OnNext(400, "-a=2"), OnNext(500, "+a=4"), OnNext(600, "-a=4")], messages);
    }

    [Fact]
    public void Filter_PredicatesComplete_TheLastStaysInForceUntilTheSourceCompletes()
    {
        var source = Source(At(400, Add("a", 2), Add("b", 1)), OnCompleted<IChangeSet<Item, string>>(500));
        var predicates = Scheduler.CreateHotObservable(Predicate(250, s_even), OnCompleted<Func<Item, bool>>(300));

        Assert.Equal([OnNext(400, "+a=2"), OnCompleted<string>(500)], Record(() => source.Filter(predicates)));
    }

    [Fact]
    public void Filter_PredicateStreamFails_FailsAndUnsubscribesBoth()
    {
        var error = new InvalidOperationException("predicates");
        var source = Source(At(300, Add("a", 2)));
        var predicates = Scheduler.CreateHotObservable(Predicate(250, s_even), OnError<Func<Item, bool>>(400, error));

        Assert.Equal([OnNext(300, "+a=2"), OnError<string>(400, error)], Record(() => source.Filter(predicates)));
        Assert.Equal([new Subscription(200, 400)], source.Subscriptions);
    }

    [Fact]
    public void Filter_PredicateThrows_FailsTheChain()
    {
        var error = new InvalidOperationException("predicate");
        var source = Source(At(300, Add("a", 2)));
        var predicates = Scheduler.CreateHotObservable(Predicate(250, s_even), Predicate(400, _ => throw error));

        Assert.Equal([OnNext(300, "+a=2"), OnError<string>(400, error)], Record(() => source.Filter(predicates)));
    }

    [Fact]
    public void Filter_NullPredicateInTheStream_FailsWithAClearError()
    {
        var source = Source(At(300, Add("a", 2)));
        var predicates = Scheduler.CreateHotObservable(Predicate(400, null!));

        Notification<string> failure = Assert.Single(Record(() => source.Filter(predicates))).Value;

        Assert.Equal(Messages.NullPredicateInStream, Assert.IsType<InvalidOperationException>(failure.Exception).Message);
    }
}
