using System.Reactive.Linq;
using BackgroundTasks.Caching;
using static BackgroundTasks.Tests.Caching.Operators.Changes;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>QueryWhenChanged and ToCollection: DynamicData's QueryWhenChanged and ToCollection scenarios.</summary>
public sealed class SnapshotTests : OperatorTest
{
    [Fact]
    public void QueryWhenChanged_EachChangeSet_EmitsOneSnapshotOfTheContents()
    {
        var source = Source(At(300, Add("a", 1), Add("b", 2)), At(400, Update("a", 5, 1)), At(500, Remove("b", 2)));

        var messages = Scheduler.Start(() => source.QueryWhenChanged().Select(query => ChangeText.Items(query.Items))).Messages;

        Assert.Equal([OnNext(300, "a=1 b=2"), OnNext(400, "a=5 b=2"), OnNext(500, "a=5")], messages);
    }

    [Fact]
    public void QueryWhenChanged_OverANonEmptyCache_EmitsOnSubscription()
    {
        using var cache = new SourceCache<Item, string>(item => item.Key);
        cache.AddOrUpdate(new Item("a", 1));
        var queries = new List<IQuery<Item, string>>();

        using var subscription = cache.Connect().QueryWhenChanged().Subscribe(queries.Add);

        var query = Assert.Single(queries);
        Assert.Equal(1, query.Count);
        Assert.Equal(["a"], query.Keys);
        Assert.Equal(new Item("a", 1), query.Lookup("a"));
        Assert.Null(query.Lookup("missing"));
    }

    [Fact]
    public void QueryWhenChanged_EarlierSnapshot_DoesNotChangeLater()
    {
        using var cache = new SourceCache<Item, string>(item => item.Key);
        var queries = new List<IQuery<Item, string>>();
        using var subscription = cache.Connect().QueryWhenChanged().Subscribe(queries.Add);

        cache.AddOrUpdate(new Item("a", 1));
        cache.AddOrUpdate(new Item("b", 2));

        Assert.Equal(1, queries[0].Count);
        Assert.Equal(2, queries[1].Count);
    }

    [Fact]
    public void QueryWhenChanged_LookupNullKey_Throws()
    {
        using var cache = new SourceCache<Item, string>(item => item.Key);
        cache.AddOrUpdate(new Item("a", 1));
        IQuery<Item, string>? query = null;
        using var subscription = cache.Connect().QueryWhenChanged().Subscribe(q => query = q);

        Assert.Throws<ArgumentNullException>("key", () => query!.Lookup(null!));
    }

    [Fact]
    public void ToCollection_EachChangeSet_EmitsTheItems()
    {
        var source = Source(At(300, Add("a", 1)), At(400, Add("b", 2), Add("c", 3)), At(500, Remove("a", 1)), OnCompleted<IChangeSet<Item, string>>(600));

        var messages = Scheduler.Start(() => source.ToCollection().Select(ChangeText.Items)).Messages;

        Assert.Equal([OnNext(300, "a=1"), OnNext(400, "a=1 b=2 c=3"), OnNext(500, "b=2 c=3"), OnCompleted<string>(600)], messages);
    }

    [Fact]
    public void ToCollection_Throttled_EmitsTheLastSnapshotOfABurstInVirtualTime()
    {
        // A UI that redraws at most once per quiet period: Rx's time operators on the scheduler, never sleeping.
        var source = Source(At(300, Add("a", 1)), At(310, Add("b", 2)), At(320, Add("c", 3)), At(500, Remove("a", 1)));

        var messages = Scheduler.Start(() => source.ToCollection().Throttle(TimeSpan.FromTicks(50), Scheduler).Select(ChangeText.Items)).Messages;

        Assert.Equal([OnNext(370, "a=1 b=2 c=3"), OnNext(550, "b=2 c=3")], messages);
    }

    [Fact]
    public void ToCollection_EmptiedCache_EmitsAnEmptyCollection()
    {
        var source = Source(At(300, Add("a", 1)), At(400, Remove("a", 1)));

        var messages = Scheduler.Start(() => source.ToCollection().Select(items => items.Count)).Messages;

        Assert.Equal([OnNext(300, 1), OnNext(400, 0)], messages);
    }
}
