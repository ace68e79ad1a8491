using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;

namespace BackgroundTasks.Tests.Caching;

public sealed partial class SourceCacheTests
{
    [Fact]
    public void Watch_NullKey_Throws()
    {
        using var cache = NewCache();
        Assert.Throws<ArgumentNullException>("key", () => cache.Watch(null!));
    }

    [Fact]
    public void Watch_NullObserver_Throws()
    {
        using var cache = NewCache();
        Assert.Throws<ArgumentNullException>("observer", () => cache.Watch("a").Subscribe(null!));
    }

    [Fact]
    public void Watch_PresentKey_SendsCurrentAsAddThenItsChanges()
    {
        using var cache = NewCache();
        var first = new Item("a", 1);
        var second = new Item("a", 2);
        cache.AddOrUpdate(first);
        var observer = new TestObserver<Change<Item, string>>();
        cache.Watch("a").Subscribe(observer);

        cache.AddOrUpdate(second);
        cache.AddOrUpdate(new Item("b", 1));
        cache.Edit(updater => updater.Refresh("a"));
        cache.Remove("a");

        Assert.Equal(
            [
                new Change<Item, string>(ChangeReason.Add, "a", first, null),
                new Change<Item, string>(ChangeReason.Update, "a", second, first),
                new Change<Item, string>(ChangeReason.Refresh, "a", second, null),
                new Change<Item, string>(ChangeReason.Remove, "a", second, null),
            ],
            observer.Values);
    }

    [Fact]
    public void Watch_MissingKey_SendsNothingUntilItIsAdded()
    {
        using var cache = NewCache();
        var observer = new TestObserver<Change<Item, string>>();
        cache.Watch("a").Subscribe(observer);
        Assert.Empty(observer.Values);

        cache.AddOrUpdate(new Item("a", 1));

        Assert.Equal(ChangeReason.Add, Assert.Single(observer.Values).Reason);
    }

    [Fact]
    public void Watch_DisposedSubscription_ReceivesNothingMore()
    {
        using var cache = NewCache();
        var first = new TestObserver<Change<Item, string>>();
        var second = new TestObserver<Change<Item, string>>();
        IDisposable subscription = cache.Watch("a").Subscribe(first);
        cache.Watch("a").Subscribe(second);

        subscription.Dispose();
        subscription.Dispose();
        cache.AddOrUpdate(new Item("a", 1));

        Assert.Empty(first.Values);
        Assert.Single(second.Values);
    }

    [Fact]
    public void Watch_RacingWritersToOneKey_SeesTheChangesInStoreOrder()
    {
        using var cache = NewCache();
        var observer = new TestObserver<Change<Item, string>>(spin: 20);
        cache.Watch("a").Subscribe(observer);

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, writer =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                if (i % 100 == 99)
                {
                    cache.Remove("a");
                }
                else
                {
                    cache.AddOrUpdate(new Item(i % 2 == 0 ? "a" : $"other{writer}", (writer * 10_000) + i));
                }
            }
        });

        observer.AssertProtocol();
        Item? held = null;
        foreach (Change<Item, string> change in observer.Values)
        {
            // Each change follows the one before: the watcher never sees the key's changes out of order.
            Assert.Equal("a", change.Key);
            switch (change.Reason)
            {
                case ChangeReason.Add: Assert.Null(held); held = change.Current; break;
                case ChangeReason.Update: Assert.Same(held, change.Previous); held = change.Current; break;
                case ChangeReason.Remove: Assert.Same(held, change.Current); held = null; break;
                default: Assert.Fail($"Unexpected {change.Reason}."); break;
            }
        }

        Assert.Same(cache.Lookup("a"), held);
    }

    [Fact]
    public void CountChanged_NullObserver_Throws()
    {
        using var cache = NewCache();
        Assert.Throws<ArgumentNullException>("observer", () => cache.CountChanged.Subscribe(null!));
    }

    [Fact]
    public void CountChanged_SendsTheCurrentCountThenEachNewCount()
    {
        using var cache = NewCache();
        cache.AddOrUpdate(new Item("a", 1));
        var observer = new TestObserver<int>();
        cache.CountChanged.Subscribe(observer);

        cache.AddOrUpdate(new Item("b", 1));
        cache.AddOrUpdate(new Item("b", 2));
        cache.Remove("missing");
        cache.Edit(updater => { updater.Remove("a"); updater.AddOrUpdate(new Item("c", 1)); });
        cache.Remove("a");
        cache.Remove("b");

        Assert.Equal([1, 2, 1], observer.Values);
    }

    [Fact]
    public void CountChanged_RacingWriters_EndsWithTheFinalCount()
    {
        using var cache = NewCache();
        var observer = new TestObserver<int>(spin: 20);
        cache.CountChanged.Subscribe(observer);

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, writer =>
        {
            for (int i = 0; i < 500; i++)
            {
                cache.AddOrUpdate(new Item($"{writer}-{i}", i));
                if (i % 3 == 0)
                {
                    cache.Remove($"{writer}-{i}");
                }
            }
        });

        observer.AssertProtocol();
        Assert.Equal(cache.Count, observer.Values[^1]);
        Assert.All(observer.Values.Zip(observer.Values.Skip(1)), pair => Assert.Equal(1, Math.Abs(pair.First - pair.Second)));
    }
}
