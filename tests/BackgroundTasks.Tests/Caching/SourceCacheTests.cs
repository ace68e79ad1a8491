using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;

namespace BackgroundTasks.Tests.Caching;

public sealed partial class SourceCacheTests
{
    private static SourceCache<Item, string> NewCache() => new(static item => item.Key);

    private static TestObserver<IChangeSet<Item, string>> ConnectObserver(SourceCache<Item, string> cache, Func<Item, bool>? predicate = null)
    {
        var observer = new TestObserver<IChangeSet<Item, string>>();
        cache.Connect(predicate).Subscribe(observer);
        return observer;
    }

    [Fact]
    public void AddOrUpdate_NewKey_EmitsAdd()
    {
        using var cache = NewCache();
        var observer = ConnectObserver(cache);
        var item = new Item("a", 1);

        cache.AddOrUpdate(item);

        var changes = Assert.Single(observer.Values);
        Assert.Equal(new Change<Item, string>(ChangeReason.Add, "a", item, null), Assert.Single(changes));
        Assert.Equal(1, changes.Adds);
        Assert.Same(item, cache.Lookup("a"));
    }

    [Fact]
    public void AddOrUpdate_ExistingKey_EmitsUpdateWithPrevious()
    {
        using var cache = NewCache();
        var first = new Item("a", 1);
        var second = new Item("a", 2);
        cache.AddOrUpdate(first);
        var observer = ConnectObserver(cache);

        cache.AddOrUpdate(second);

        var changes = observer.Values[1];
        Assert.Equal(new Change<Item, string>(ChangeReason.Update, "a", second, first), Assert.Single(changes));
        Assert.Equal(1, changes.Updates);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Remove_ExistingKey_EmitsRemoveWithRemovedItem()
    {
        using var cache = NewCache();
        var item = new Item("a", 1);
        cache.AddOrUpdate(item);
        var observer = ConnectObserver(cache);

        cache.Remove("a");

        var changes = observer.Values[1];
        Assert.Equal(new Change<Item, string>(ChangeReason.Remove, "a", item, null), Assert.Single(changes));
        Assert.Equal(1, changes.Removes);
        Assert.Null(cache.Lookup("a"));
    }

    [Fact]
    public void Remove_MissingKey_EmitsNothing()
    {
        using var cache = NewCache();
        var observer = ConnectObserver(cache);

        cache.Remove("missing");

        Assert.Empty(observer.Values);
    }

    [Fact]
    public void Refresh_ExistingKey_EmitsRefresh()
    {
        using var cache = NewCache();
        var item = new Item("a", 1);
        cache.AddOrUpdate(item);
        var observer = ConnectObserver(cache);

        cache.Edit(updater => updater.Refresh("a"));

        var changes = observer.Values[1];
        Assert.Equal(new Change<Item, string>(ChangeReason.Refresh, "a", item, null), Assert.Single(changes));
        Assert.Equal(1, changes.Refreshes);
    }

    [Fact]
    public void Refresh_MissingKey_EmitsNothing()
    {
        using var cache = NewCache();
        var observer = ConnectObserver(cache);

        cache.Edit(updater => updater.Refresh("missing"));

        Assert.Empty(observer.Values);
    }

    [Fact]
    public void Edit_ManyOperations_EmitsOneChangeSetInOrder()
    {
        using var cache = NewCache();
        cache.AddOrUpdate([new Item("a", 1), new Item("b", 1)]);
        var observer = ConnectObserver(cache);

        cache.Edit(updater =>
        {
            updater.AddOrUpdate(new Item("c", 1));
            updater.AddOrUpdate(new Item("a", 2));
            updater.Remove("b");
            updater.Refresh("c");
            updater.Remove("missing");
        });

        Assert.Equal(2, observer.Values.Count);
        var changes = observer.Values[1];
        Assert.Equal([ChangeReason.Add, ChangeReason.Update, ChangeReason.Remove, ChangeReason.Refresh], changes.Select(c => c.Reason));
        Assert.Equal(["c", "a", "b", "c"], changes.Select(c => c.Key));
        Assert.Equal((1, 1, 1, 1), (changes.Adds, changes.Updates, changes.Removes, changes.Refreshes));
    }

    [Fact]
    public void AddOrUpdate_Items_EmitsOneChangeSet()
    {
        using var cache = NewCache();
        var observer = ConnectObserver(cache);

        cache.AddOrUpdate([new Item("a", 1), new Item("b", 1), new Item("a", 2)]);

        var changes = Assert.Single(observer.Values);
        Assert.Equal([ChangeReason.Add, ChangeReason.Add, ChangeReason.Update], changes.Select(c => c.Reason));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Edit_NoChanges_EmitsNothing()
    {
        using var cache = NewCache();
        var observer = ConnectObserver(cache);

        cache.Edit(_ => { });

        Assert.Empty(observer.Values);
    }

    [Fact]
    public void Edit_UpdaterLookup_SeesEarlierChangesOfTheEdit()
    {
        using var cache = NewCache();
        Item? seen = null;

        cache.Edit(updater =>
        {
            updater.AddOrUpdate(new Item("a", 1));
            seen = updater.Lookup("a");
        });

        Assert.Equal(new Item("a", 1), seen);
    }

    [Fact]
    public void Edit_UpdaterUsedAfterEdit_Throws()
    {
        using var cache = NewCache();
        ISourceUpdater<Item, string>? kept = null;
        cache.Edit(updater => kept = updater);

        var error = Assert.Throws<InvalidOperationException>(() => kept!.AddOrUpdate(new Item("a", 1)));
        Assert.Equal(Messages.UpdaterOutsideEdit, error.Message);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Edit_CallbackThrows_PublishesWhatItChangedAndPropagates()
    {
        using var cache = NewCache();
        var observer = ConnectObserver(cache);

        Assert.Throws<InvalidOperationException>(() => cache.Edit(updater =>
        {
            updater.AddOrUpdate(new Item("a", 1));
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("a", Assert.Single(Assert.Single(observer.Values)).Key);
        cache.AddOrUpdate(new Item("b", 1));
        Assert.Equal(2, observer.Values.Count);
    }

    [Fact]
    public void Edit_NestedEdit_JoinsTheOuterChangeSet()
    {
        using var cache = NewCache();
        var observer = ConnectObserver(cache);

        cache.Edit(updater =>
        {
            updater.AddOrUpdate(new Item("a", 1));
            cache.AddOrUpdate(new Item("b", 1));
        });

        Assert.Equal(2, Assert.Single(observer.Values).Count);
    }

    [Fact]
    public void Edit_SubscribeInsideCallback_Throws()
    {
        using var cache = NewCache();
        InvalidOperationException? error = null;

        cache.Edit(_ => error = Assert.Throws<InvalidOperationException>(() => cache.Connect().Subscribe(new TestObserver<IChangeSet<Item, string>>())));

        Assert.Equal(Messages.SubscribeDuringEdit, error!.Message);
    }

    [Fact]
    public void Edit_StateOverload_AppliesChangesAsOneChangeSet()
    {
        using var cache = NewCache();
        var observer = ConnectObserver(cache);

        cache.Edit((First: new Item("a", 1), Second: new Item("b", 2)), static (updater, state) =>
        {
            updater.AddOrUpdate(state.First);
            updater.AddOrUpdate(state.Second);
        });

        Assert.Equal(2, Assert.Single(observer.Values).Adds);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Reads_AfterWrites_ReturnContents()
    {
        using var cache = NewCache();
        cache.AddOrUpdate([new Item("a", 1), new Item("b", 2)]);

        Assert.Equal(2, cache.Count);
        Assert.Equal(["a", "b"], cache.Keys.Order());
        Assert.Equal([new Item("a", 1), new Item("b", 2)], cache.Items.OrderBy(i => i.Key));
        Assert.Null(cache.Lookup("c"));
    }

    [Fact]
    public void Items_EnumeratedWhileOthersWrite_IsASnapshot()
    {
        using var cache = NewCache();
        cache.AddOrUpdate(Enumerable.Range(0, 100).Select(i => new Item($"k{i}", i)));

        int seen = 0;
        foreach (Item item in cache.Items)
        {
            cache.AddOrUpdate(new Item($"new{item.Value}", item.Value));
            seen++;
        }

        foreach (string key in cache.Keys)
        {
            cache.Remove(key);
        }

        Assert.Equal(100, seen);
        Assert.Equal(0, cache.Count);
    }
}
