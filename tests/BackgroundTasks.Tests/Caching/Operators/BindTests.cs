using System.Collections.ObjectModel;
using System.Collections.Specialized;
using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>Bind: DynamicData's unsorted binding scenarios over a cache.</summary>
public sealed class BindTests : IDisposable
{
    private readonly SourceCache<Item, string> _cache = new(item => item.Key);
    private readonly ReadOnlyObservableCollection<Item> _bound;
    private readonly CollectionEvents _events;
    private readonly TestObserver<IChangeSet<Item, string>> _passed = new();
    private readonly IDisposable _subscription;

    public BindTests()
    {
        _subscription = _cache.Connect().Bind(out _bound).Subscribe(_passed);
        _events = new CollectionEvents(_bound);
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _cache.Dispose();
    }

    private string Contents => ChangeText.Items(_bound) + " @ " + string.Join(',', _bound.Select(item => item.Key));

    [Fact]
    public void Bind_FirstLoad_FillsTheCollectionWithOneReset()
    {
        _cache.AddOrUpdate([new Item("a", 1), new Item("b", 2)]);

        Assert.Equal(["reset"], _events.Events);
        Assert.Equal("a=1 b=2 @ a,b", Contents);
    }

    [Fact]
    public void Bind_Adds_AppendInArrivalOrder()
    {
        _cache.AddOrUpdate(new Item("b", 2));
        _cache.AddOrUpdate(new Item("a", 1));
        _cache.AddOrUpdate(new Item("c", 3));

        Assert.Equal(["reset", "+1", "+2"], _events.Events);
        Assert.Equal("a=1 b=2 c=3 @ b,a,c", Contents);
    }

    [Fact]
    public void Bind_Update_ReplacesInPlace()
    {
        _cache.AddOrUpdate([new Item("a", 1), new Item("b", 2), new Item("c", 3)]);

        _cache.AddOrUpdate(new Item("b", 20));

        Assert.Equal(["reset", "=1"], _events.Events);
        Assert.Equal("a=1 b=20 c=3 @ a,b,c", Contents);
    }

    [Fact]
    public void Bind_UpdateOfAnEqualItem_ReplacesTheRightSlot()
    {
        // Two keys holding equal records: the slot is found by key, not by item equality.
        _cache.AddOrUpdate([new Item("x", 1), new Item("y", 1)]);
        var replacement = new Item("y", 1);

        _cache.AddOrUpdate(replacement);

        Assert.Same(replacement, _bound[1]);
    }

    [Fact]
    public void Bind_Remove_RemovesTheItem()
    {
        _cache.AddOrUpdate([new Item("a", 1), new Item("b", 2), new Item("c", 3)]);

        _cache.Remove("b");

        Assert.Equal(["reset", "-1"], _events.Events);
        Assert.Equal("a=1 c=3 @ a,c", Contents);
    }

    [Fact]
    public void Bind_Refresh_ChangesNothing()
    {
        _cache.AddOrUpdate(new Item("a", 1));

        _cache.Edit(updater => updater.Refresh("a"));

        Assert.Equal(["reset"], _events.Events);
    }

    [Fact]
    public void Bind_MoreChangesThanTheThreshold_RefillsWithOneReset()
    {
        _cache.AddOrUpdate(new Item("first", 0));
        _events.Clear();

        _cache.AddOrUpdate(Enumerable.Range(0, BoundCollection<Item>.ResetThreshold + 1).Select(i => new Item($"k{i}", i)));

        Assert.Equal(["reset"], _events.Events);
        Assert.Equal(BoundCollection<Item>.ResetThreshold + 2, _bound.Count);
        Assert.Equal("first", _bound[0].Key);
    }

    [Fact]
    public void Bind_ChangeSets_ArePassedOnUnchanged()
    {
        _cache.AddOrUpdate(new Item("a", 1));
        _cache.Remove("a");

        Assert.Equal(["+a=1", "-a=1"], _passed.Values.Select(ChangeText.Of));
    }

    [Fact]
    public void Bind_CollectionHandlerThrows_FailsTheChain()
    {
        var error = new InvalidOperationException("handler");
        _cache.AddOrUpdate(new Item("a", 1));
        ((INotifyCollectionChanged)_bound).CollectionChanged += (_, _) => throw error;

        _cache.AddOrUpdate(new Item("b", 2));

        Assert.Same(error, _passed.Completion.Exception!.InnerException);
    }
}
