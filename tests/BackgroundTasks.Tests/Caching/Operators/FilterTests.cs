using System.Reactive;
using System.Reactive.Concurrency;
using BackgroundTasks.Caching;
using Microsoft.Reactive.Testing;
using static BackgroundTasks.Tests.Caching.Operators.Changes;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>Filter with a fixed predicate: DynamicData's FilterFixture scenarios, in virtual time.</summary>
public sealed class FilterTests : OperatorTest
{
    private static bool Even(Item item) => item.Value % 2 == 0;

    [Fact]
    public void Filter_Adds_PassOnlyMatchingItems()
    {
        var source = Source(At(300, Add("a", 1), Add("b", 2)), At(400, Add("c", 3)), At(500, Add("d", 4)));

        var messages = Record(() => source.Filter(Even));

        Assert.Equal([OnNext(300, "+b=2"), OnNext(500, "+d=4")], messages);
    }

    [Fact]
    public void Filter_UpdateThatStopsMatching_IsRemoveOfTheHeldItem()
    {
        var source = Source(At(300, Add("a", 2)), At(400, Update("a", 3, 2)));

        Assert.Equal([OnNext(300, "+a=2"), OnNext(400, "-a=2")], Record(() => source.Filter(Even)));
    }

    [Fact]
    public void Filter_UpdateThatStartsMatching_IsAdd()
    {
        var source = Source(At(300, Add("a", 1)), At(400, Update("a", 4, 1)));

        Assert.Equal([OnNext(400, "+a=4")], Record(() => source.Filter(Even)));
    }

    [Fact]
    public void Filter_UpdateThatKeepsMatching_IsUpdate()
    {
        var source = Source(At(300, Add("a", 2)), At(400, Update("a", 4, 2)));

        Assert.Equal([OnNext(300, "+a=2"), OnNext(400, "~a=4/2")], Record(() => source.Filter(Even)));
    }

    [Fact]
    public void Filter_RemoveOfAnItemNeverPassed_SendsNothing()
    {
        var source = Source(At(300, Add("a", 1)), At(400, Remove("a", 1)));

        Assert.Empty(Record(() => source.Filter(Even)));
    }

    [Fact]
    public void Filter_Refresh_ReevaluatesTheItem()
    {
        var item = new MutableItem("a", 2);
        var source = Scheduler.CreateHotObservable(
            OnNext(300, MutableItem.Set(ChangeReason.Add, item)),
            OnNext(400, MutableItem.Set(ChangeReason.Refresh, item)),
            OnNext(500, MutableItem.Set(ChangeReason.Refresh, item)),
            OnNext(600, MutableItem.Set(ChangeReason.Refresh, item)));
        Scheduler.ScheduleAbsolute(450, () => item.Value = 3);
        Scheduler.ScheduleAbsolute(550, () => item.Value = 6);

        var messages = Record(() => source.Filter<MutableItem, string>(i => i.Value % 2 == 0), static i => "m");

        Assert.Equal([OnNext(300, "+a=m"), OnNext(400, "*a=m"), OnNext(500, "-a=m"), OnNext(600, "+a=m")], messages);
    }

    [Fact]
    public void Filter_BatchOfMixedChanges_SendsOneChangeSet()
    {
        var source = Source(At(300, Add("a", 2), Add("b", 1), Update("a", 5, 2), Add("c", 8), Remove("b", 1)));

        Assert.Equal([OnNext(300, "+a=2 -a=2 +c=8")], Record(() => source.Filter(Even)));
    }

    [Fact]
    public void Filter_AllPass_HandsOnTheSourceChangeSet()
    {
        IChangeSet<Item, string> changes = Set(Add("a", 2), Add("b", 4));
        var source = Scheduler.CreateHotObservable(OnNext(300, changes));

        var received = Scheduler.Start(() => source.Filter(Even)).Messages;

        Assert.Same(changes, Assert.Single(received).Value.Value);
    }

    [Fact]
    public void Filter_SourceCompletes_Completes()
    {
        var source = Source(At(300, Add("a", 2)), OnCompleted<IChangeSet<Item, string>>(400));

        Assert.Equal([OnNext(300, "+a=2"), OnCompleted<string>(400)], Record(() => source.Filter(Even)));
    }

    [Fact]
    public void Filter_SourceFails_PassesTheErrorOn()
    {
        var error = new InvalidOperationException("boom");
        var source = Scheduler.CreateHotObservable(OnError<IChangeSet<Item, string>>(500, error));

        Assert.Equal([OnError<string>(500, error)], Record(() => source.Filter(Even)));
    }

    [Fact]
    public void Filter_PredicateThrows_FailsTheChainAndUnsubscribes()
    {
        var error = new InvalidOperationException("predicate");
        var source = Source(At(300, Add("a", 2)), At(400, Add("b", 1)), At(500, Add("c", 4)));

        var messages = Record(() => source.Filter(i => i.Value == 1 ? throw error : true));

        Assert.Equal([OnNext(300, "+a=2"), OnError<string>(400, error)], messages);
        Assert.Equal(400, Assert.Single(source.Subscriptions).Unsubscribe);
    }

    [Fact]
    public void Filter_Disposed_UnsubscribesFromTheSource()
    {
        var source = Source(At(300, Add("a", 2)));

        Record(() => source.Filter(Even));

        Assert.Equal([new Subscription(200, 1000)], source.Subscriptions);
    }
}
