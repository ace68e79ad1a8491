using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;
using static BackgroundTasks.Tests.Caching.Operators.Changes;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>OnItemAdded, OnItemUpdated, OnItemRemoved and WhereReasonsAre: DynamicData's OnItemFixture scenarios.</summary>
public sealed class SideEffectTests : OperatorTest, IDisposable
{
    private readonly SourceCache<Item, string> _cache = new(item => item.Key);

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void OnItemAdded_RunsForEachAddOnly_AndPassesTheChangeSetOn()
    {
        var added = new List<Item>();
        var passed = new TestObserver<IChangeSet<Item, string>>();
        using var subscription = _cache.Connect().OnItemAdded(added.Add).Subscribe(passed);

        _cache.AddOrUpdate([new Item("a", 1), new Item("b", 2)]);
        _cache.AddOrUpdate(new Item("a", 3));
        _cache.Remove("b");

        Assert.Equal([new Item("a", 1), new Item("b", 2)], added);
        Assert.Equal(3, passed.Values.Count);
    }

    [Fact]
    public void OnItemUpdated_RunsWithCurrentThenPrevious()
    {
        var updates = new List<(Item Current, Item Previous)>();
        using var subscription = _cache.Connect().OnItemUpdated((current, previous) => updates.Add((current, previous))).Subscribe();

        _cache.AddOrUpdate(new Item("a", 1));
        _cache.AddOrUpdate(new Item("a", 2));
        _cache.Edit(updater => updater.Refresh("a"));

        Assert.Equal([(new Item("a", 2), new Item("a", 1))], updates);
    }

    [Fact]
    public void OnItemRemoved_RunsForRemovesButNotUpdates()
    {
        var removed = new List<Item>();
        using var subscription = _cache.Connect().OnItemRemoved(removed.Add).Subscribe();

        _cache.AddOrUpdate([new Item("a", 1), new Item("b", 2)]);
        _cache.AddOrUpdate(new Item("a", 3));
        _cache.Remove("b");

        Assert.Equal([new Item("b", 2)], removed);
    }

    [Fact]
    public void OnItemRemoved_Disposed_RunsForEveryItemStillHeld()
    {
        var removed = new List<Item>();
        var subscription = _cache.Connect().OnItemRemoved(removed.Add).Subscribe();
        _cache.AddOrUpdate([new Item("a", 1), new Item("b", 2)]);
        _cache.AddOrUpdate(new Item("a", 3));

        subscription.Dispose();
        subscription.Dispose();

        Assert.Equal(["a=3", "b=2"], removed.OrderBy(i => i.Key).Select(i => $"{i.Key}={i.Value}"));
    }

    [Fact]
    public void OnItemRemoved_NotOnUnsubscribe_RunsOnlyForRemoves()
    {
        var removed = new List<Item>();
        var subscription = _cache.Connect().OnItemRemoved(removed.Add, invokeOnUnsubscribe: false).Subscribe();
        _cache.AddOrUpdate(new Item("a", 1));

        subscription.Dispose();

        Assert.Empty(removed);
    }

    [Fact]
    public void OnItemRemoved_SourceCompletes_RunsForTheItemsHeldAfterTheCompletion()
    {
        var log = new List<string>();
        using var subscription = _cache.Connect().OnItemRemoved(item => log.Add($"removed {item.Key}"))
            .Subscribe(_ => { }, () => log.Add("completed"));
        _cache.AddOrUpdate(new Item("a", 1));

        _cache.Dispose();

        Assert.Equal(["completed", "removed a"], log);
    }

    [Fact]
    public void OnItemRemoved_DisposedFromInsideOnNext_RunsOnceTheChangeSetIsDone()
    {
        var log = new List<string>();
        IDisposable? subscription = null;
        subscription = _cache.Connect().OnItemRemoved(item => log.Add($"removed {item.Key}")).Subscribe(_ =>
        {
            subscription!.Dispose();
            log.Add("after dispose");
        });

        _cache.AddOrUpdate(new Item("a", 1));

        Assert.Equal(["after dispose", "removed a"], log);
    }

    [Fact]
    public void OnItemAction_Throws_FailsTheChain()
    {
        var error = new InvalidOperationException("action");
        var source = Source(At(300, Add("a", 1)));

        Assert.Equal([OnError<string>(300, error)], Record(() => source.OnItemAdded(_ => throw error)));
    }

    [Fact]
    public void WhereReasonsAre_KeepsOnlyThoseReasons()
    {
        var source = Source(At(300, Add("a", 1), Add("b", 2)), At(400, Update("a", 3, 1), Remove("b", 2)), At(500, Refresh("a", 3)));

        var messages = Record(() => source.WhereReasonsAre(ChangeReason.Remove, ChangeReason.Refresh));

        Assert.Equal([OnNext(400, "-b=2"), OnNext(500, "*a=3")], messages);
    }

    [Fact]
    public void WhereReasonsAre_AllKept_HandsOnTheSourceChangeSet()
    {
        IChangeSet<Item, string> changes = Set(Add("a", 1));
        var source = Scheduler.CreateHotObservable(OnNext(300, changes));

        var received = Scheduler.Start(() => source.WhereReasonsAre(ChangeReason.Add)).Messages;

        Assert.Same(changes, Assert.Single(received).Value.Value);
    }
}
