using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;

namespace BackgroundTasks.Tests.Caching;

public sealed partial class SourceCacheTests
{
    [Fact]
    public void Connect_NullObserver_Throws()
    {
        using var cache = NewCache();
        Assert.Throws<ArgumentNullException>("observer", () => cache.Connect().Subscribe(null!));
    }

    [Fact]
    public void Connect_NonEmptyCache_SendsSnapshotAsOneChangeSetOfAddsThenChanges()
    {
        using var cache = NewCache();
        cache.AddOrUpdate([new Item("a", 1), new Item("b", 2)]);

        var observer = ConnectObserver(cache);
        cache.AddOrUpdate(new Item("c", 3));

        Assert.Equal(2, observer.Values.Count);
        Assert.Equal(2, observer.Values[0].Adds);
        Assert.Equal(["a", "b"], observer.Values[0].Select(c => c.Key).Order());
        Assert.Equal("c", Assert.Single(observer.Values[1]).Key);
    }

    [Fact]
    public void Connect_EmptyCache_SendsNothingUntilTheFirstChange()
    {
        using var cache = NewCache();
        var observer = ConnectObserver(cache);
        Assert.Empty(observer.Values);

        cache.AddOrUpdate(new Item("a", 1));

        Assert.Single(observer.Values);
    }

    [Fact]
    public void Connect_UnfilteredSubscribers_ShareOneChangeSet()
    {
        using var cache = NewCache();
        var first = ConnectObserver(cache);
        var second = ConnectObserver(cache);
        var matchingAll = ConnectObserver(cache, _ => true);

        cache.AddOrUpdate(new Item("a", 1));

        Assert.Same(first.Values[0], second.Values[0]);
        Assert.Same(first.Values[0], matchingAll.Values[0]);
    }

    [Fact]
    public void Connect_Predicate_FiltersSnapshotAndChanges()
    {
        using var cache = NewCache();
        cache.AddOrUpdate([new Item("a", 1), new Item("b", 2)]);
        var observer = ConnectObserver(cache, item => item.Value % 2 == 0);

        cache.AddOrUpdate([new Item("c", 3), new Item("d", 4)]);

        Assert.Equal("b", Assert.Single(observer.Values[0]).Key);
        Assert.Equal("d", Assert.Single(observer.Values[1]).Key);
    }

    [Fact]
    public void Connect_Predicate_ItemStopsMatching_ArrivesAsRemoveOfTheItemSeen()
    {
        using var cache = NewCache();
        var seen = new Item("a", 2);
        cache.AddOrUpdate(seen);
        var observer = ConnectObserver(cache, item => item.Value % 2 == 0);

        cache.AddOrUpdate(new Item("a", 3));

        Assert.Equal(new Change<Item, string>(ChangeReason.Remove, "a", seen, null), Assert.Single(observer.Values[1]));
    }

    [Fact]
    public void Connect_Predicate_ItemStartsMatching_ArrivesAsAdd()
    {
        using var cache = NewCache();
        cache.AddOrUpdate(new Item("a", 1));
        var observer = ConnectObserver(cache, item => item.Value % 2 == 0);
        var matching = new Item("a", 2);

        cache.AddOrUpdate(matching);
        cache.AddOrUpdate(new Item("a", 4));

        Assert.Equal(new Change<Item, string>(ChangeReason.Add, "a", matching, null), Assert.Single(observer.Values[0]));
        Assert.Equal(ChangeReason.Update, Assert.Single(observer.Values[1]).Reason);
    }

    [Fact]
    public void Connect_Predicate_ChangeSetFilteredToNothing_IsNotSent()
    {
        using var cache = NewCache();
        var observer = ConnectObserver(cache, item => item.Value % 2 == 0);

        cache.AddOrUpdate([new Item("a", 1), new Item("b", 3)]);
        cache.AddOrUpdate(new Item("a", 5));
        cache.Remove("b");
        cache.Edit(updater => updater.Refresh("a"));

        Assert.Empty(observer.Values);
    }

    [Fact]
    public void Connect_Predicate_MixedChangeSet_KeepsOnlyWhatTheSubscriberSees()
    {
        using var cache = NewCache();
        cache.AddOrUpdate([new Item("a", 2), new Item("b", 1)]);
        var observer = ConnectObserver(cache, item => item.Value % 2 == 0);

        cache.Edit(updater =>
        {
            updater.AddOrUpdate(new Item("c", 4));
            updater.AddOrUpdate(new Item("d", 5));
            updater.Remove("b");
            updater.Remove("a");
        });

        var changes = observer.Values[1];
        Assert.Equal([(ChangeReason.Add, "c"), (ChangeReason.Remove, "a")], changes.Select(c => (c.Reason, c.Key)));
        Assert.Equal((1, 1), (changes.Adds, changes.Removes));
    }

    [Fact]
    public void Connect_Predicate_RefreshMovesAMutableItemInAndOut()
    {
        using var cache = new SourceCache<MutableItem, string>(static item => item.Key);
        var item = new MutableItem("a") { Visible = false };
        cache.AddOrUpdate(item);
        var observer = new TestObserver<IChangeSet<MutableItem, string>>();
        cache.Connect(i => i.Visible).Subscribe(observer);

        item.Visible = true;
        cache.Edit(updater => updater.Refresh("a"));
        cache.Edit(updater => updater.Refresh("a"));
        item.Visible = false;
        cache.Edit(updater => updater.Refresh("a"));

        Assert.Equal(
            [ChangeReason.Add, ChangeReason.Refresh, ChangeReason.Remove],
            observer.Values.Select(changes => Assert.Single(changes).Reason));
    }

    [Fact]
    public void Connect_RacingWritersAndSubscribers_EveryViewEqualsTheCache()
    {
        const int Writers = 8;
        const int Operations = 2_000;
        using var cache = NewCache();
        cache.AddOrUpdate(Enumerable.Range(0, 20).Select(i => new Item($"k{i}", i)));
        var subscribers = new System.Collections.Concurrent.ConcurrentBag<(TestObserver<IChangeSet<Item, string>> Observer, ChangeSetView<Item, string> View, Func<Item, bool> Predicate)>();

        void Connect(Func<Item, bool> predicate)
        {
            var view = new ChangeSetView<Item, string>();
            var observer = new TestObserver<IChangeSet<Item, string>>(view.Apply, spin: 20);
            subscribers.Add((observer, view, predicate));
            cache.Connect(predicate).Subscribe(observer);
        }

        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
        {
            var random = new Random(writer);
            for (int i = 0; i < Operations; i++)
            {
                if (i % 250 == 0)
                {
                    // Subscribers connect while the others write; half of them filter.
                    Connect(writer % 2 == 0 ? static _ => true : static item => item.Value % 3 == 0);
                }

                string key = $"k{random.Next(40)}";
                switch (random.Next(4))
                {
                    case 0: cache.Remove(key); break;
                    case 1: cache.Edit(updater => { updater.Refresh(key); updater.AddOrUpdate(new Item($"k{random.Next(40)}", i)); }); break;
                    default: cache.AddOrUpdate(new Item(key, random.Next(100))); break;
                }
            }
        });

        Item[] final = [.. cache.Items];
        Assert.Equal(Writers * (Operations / 250), subscribers.Count);
        foreach ((TestObserver<IChangeSet<Item, string>> observer, ChangeSetView<Item, string> view, Func<Item, bool> predicate) in subscribers)
        {
            observer.AssertProtocol();
            Assert.Empty(view.Errors);
            Assert.Equal(
                final.Where(predicate).OrderBy(i => i.Key).Select(i => i.Key + "=" + i.Value),
                view.Items.Values.OrderBy(i => i.Key).Select(i => i.Key + "=" + i.Value));
        }
    }

    private sealed class MutableItem(string key)
    {
        public string Key { get; } = key;

        public bool Visible { get; set; }
    }
}
