using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;
using Microsoft.Reactive.Testing;
using static BackgroundTasks.Tests.Caching.Operators.Changes;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>MergeChangeSets: DynamicData's MergeChangeSetsFixture scenarios (without a comparer).</summary>
public sealed class MergeChangeSetsTests : OperatorTest
{
    [Fact]
    public void MergeChangeSets_ExistingAndNewItems_AllArrive()
    {
        using var first = new SourceCache<Item, string>(item => item.Key);
        using var second = new SourceCache<Item, string>(item => item.Key);
        first.AddOrUpdate(new Item("a", 1));
        second.AddOrUpdate(new Item("b", 2));
        var view = new ChangeSetView<Item, string>();
        using var subscription = new[] { first.Connect(), second.Connect() }.MergeChangeSets().Subscribe(view.Apply);

        first.AddOrUpdate(new Item("c", 3));
        second.AddOrUpdate(new Item("d", 4));

        Assert.Empty(view.Errors);
        Assert.Equal(["a", "b", "c", "d"], view.Items.Keys.Order());
    }

    [Fact]
    public void MergeChangeSets_DuplicateKey_FirstToAddWinsAndTheOtherStaysHidden()
    {
        var first = Source(At(300, Add("k", 1)), At(600, Update("k", 3, 1)));
        var second = Source(At(400, Add("k", 2)), At(500, Update("k", 4, 2)), At(700, Refresh("k", 4)));

        var messages = Record(() => new[] { first, second }.MergeChangeSets());

        Assert.Equal([OnNext(300, "+k=1"), OnNext(600, "~k=3/1")], messages);
    }

    [Fact]
    public void MergeChangeSets_OwnerRemovesTheKey_TheHiddenItemTakesOverAsAnUpdate()
    {
        var first = Source(At(300, Add("k", 1)), At(500, Remove("k", 1)));
        var second = Source(At(400, Add("k", 2)), At(600, Remove("k", 2)));

        var messages = Record(() => new[] { first, second }.MergeChangeSets());

        Assert.Equal([OnNext(300, "+k=1"), OnNext(500, "~k=2/1"), OnNext(600, "-k=2")], messages);
    }

    [Fact]
    public void MergeChangeSets_HiddenItemRemoved_SendsNothing()
    {
        var first = Source(At(300, Add("k", 1)));
        var second = Source(At(400, Add("k", 2)), At(500, Remove("k", 2)));

        var messages = Record(() => new[] { first, second }.MergeChangeSets());

        Assert.Equal([OnNext(300, "+k=1")], messages);
    }

    [Fact]
    public void MergeChangeSets_OwnersRefresh_Passes()
    {
        var first = Source(At(300, Add("k", 1)), At(400, Refresh("k", 1)));

        Assert.Equal([OnNext(300, "+k=1"), OnNext(400, "*k=1")], Record(() => new[] { first }.MergeChangeSets()));
    }

    [Fact]
    public void MergeChangeSets_CompletesWhenEverySourceHasCompleted()
    {
        var first = Source(At(300, Add("a", 1)), OnCompleted<IChangeSet<Item, string>>(400));
        var second = Source(OnCompleted<IChangeSet<Item, string>>(500));

        Assert.Equal([OnNext(300, "+a=1"), OnCompleted<string>(500)], Record(() => new[] { first, second }.MergeChangeSets()));
    }

    [Fact]
    public void MergeChangeSets_NoSources_CompletesAtOnce()
    {
        Assert.Equal([OnCompleted<string>(200)], Record(() => Array.Empty<IObservable<IChangeSet<Item, string>>>().MergeChangeSets()));
    }

    [Fact]
    public void MergeChangeSets_OneSourceFails_FailsAndUnsubscribesTheOthers()
    {
        var error = new InvalidOperationException("source");
        var first = Source(At(300, Add("a", 1)));
        var second = Source(OnError<IChangeSet<Item, string>>(400, error));

        Assert.Equal([OnNext(300, "+a=1"), OnError<string>(400, error)], Record(() => new[] { first, second }.MergeChangeSets()));
        Assert.Equal([new Subscription(200, 400)], first.Subscriptions);
    }

    [Fact]
    public void MergeChangeSets_SourcesWritingAtOnce_NeverOverlapAndLoseNothing()
    {
        const int Writes = 2000;
        using var first = new SourceCache<Item, string>(item => item.Key);
        using var second = new SourceCache<Item, string>(item => item.Key);
        var observer = new TestObserver<IChangeSet<Item, string>>(spin: 20);
        var view = new ChangeSetView<Item, string>();
        using var subscription = new[] { first.Connect(), second.Connect() }.MergeChangeSets()
            .Subscribe(changes => { observer.OnNext(changes); view.Apply(changes); });

        using var start = new Barrier(2);
        Parallel.Invoke(
            () => { start.SignalAndWait(); for (int i = 0; i < Writes; i++) { first.AddOrUpdate(new Item($"a{i}", i)); } },
            () => { start.SignalAndWait(); for (int i = 0; i < Writes; i++) { second.AddOrUpdate(new Item($"b{i}", i)); } });

        observer.AssertProtocol();
        Assert.Empty(view.Errors);
        Assert.Equal(2 * Writes, view.Items.Count);
    }
}
