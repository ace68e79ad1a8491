using System.Collections.ObjectModel;
using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>SortAndBind: DynamicData's SortAndBindFixture scenarios over a cache.</summary>
public sealed class SortAndBindTests : IDisposable
{
    private static readonly IComparer<Item> s_byValue = Comparer<Item>.Create((x, y) => x.Value.CompareTo(y.Value));

    private readonly SourceCache<Item, string> _cache = new(item => item.Key);
    private readonly ReadOnlyObservableCollection<Item> _bound;
    private readonly CollectionEvents _events;
    private readonly TestObserver<IChangeSet<Item, string>> _passed = new();
    private readonly IDisposable _subscription;

    public SortAndBindTests()
    {
        _subscription = _cache.Connect().SortAndBind(out _bound, s_byValue).Subscribe(_passed);
        _events = new CollectionEvents(_bound);
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _cache.Dispose();
    }

    private string Order => string.Join(',', _bound.Select(item => item.Key));

    private void LoadThree()
    {
        _cache.AddOrUpdate([new Item("b", 20), new Item("c", 30), new Item("a", 10)]);
        _events.Clear();
    }

    [Fact]
    public void SortAndBind_InitialBatch_IsSortedWithOneReset()
    {
        _cache.AddOrUpdate([new Item("b", 20), new Item("c", 30), new Item("a", 10)]);

        Assert.Equal(["reset"], _events.Events);
        Assert.Equal("a,b,c", Order);
    }

    [Theory]
    [InlineData(5, "+0", "n,a,b,c")]
    [InlineData(15, "+1", "a,n,b,c")]
    [InlineData(35, "+3", "a,b,c,n")]
    public void SortAndBind_Insert_GoesToItsPlace(int value, string expectedEvent, string order)
    {
        LoadThree();

        _cache.AddOrUpdate(new Item("n", value));

        Assert.Equal([expectedEvent], _events.Events);
        Assert.Equal(order, Order);
    }

    [Fact]
    public void SortAndBind_InsertEqualToAnExistingItem_GoesAfterIt()
    {
        LoadThree();

        _cache.AddOrUpdate(new Item("n", 20));

        Assert.Equal("a,b,n,c", Order);
    }

    [Theory]
    [InlineData("a", "-0", "b,c")]
    [InlineData("b", "-1", "a,c")]
    [InlineData("c", "-2", "a,b")]
    public void SortAndBind_Remove_RemovesAtItsIndex(string key, string expectedEvent, string order)
    {
        LoadThree();

        _cache.Remove(key);

        Assert.Equal([expectedEvent], _events.Events);
        Assert.Equal(order, Order);
    }

    [Fact]
    public void SortAndBind_UpdateThatKeepsItsPlace_Replaces()
    {
        LoadThree();

        _cache.AddOrUpdate(new Item("b", 25));

        Assert.Equal(["=1"], _events.Events);
        Assert.Equal(25, _bound[1].Value);
    }

    [Fact]
    public void SortAndBind_UpdateThatMovesIt_RemovesThenInserts()
    {
        LoadThree();

        _cache.AddOrUpdate(new Item("a", 40));

        Assert.Equal(["-0", "+2"], _events.Events);
        Assert.Equal("b,c,a", Order);
    }

    [Fact]
    public void SortAndBind_RefreshAfterAnInPlaceChange_MovesTheItem()
    {
        using var cache = new SourceCache<MutableItem, string>(item => item.Key);
        var first = new MutableItem("a", 10);
        cache.AddOrUpdate([first, new MutableItem("b", 20), new MutableItem("c", 30)]);
        using var subscription = cache.Connect()
            .SortAndBind(out var bound, Comparer<MutableItem>.Create((x, y) => x.Value.CompareTo(y.Value)))
            .Subscribe();
        var events = new CollectionEvents(bound);

        first.Value = 25;
        cache.Edit(updater => updater.Refresh("a"));

        Assert.Equal(["0>1"], events.Events);
        Assert.Equal("b,a,c", string.Join(',', bound.Select(item => item.Key)));
    }

    [Fact]
    public void SortAndBind_BatchOfVariousChanges_EndsSortedAndLikeTheCache()
    {
        LoadThree();

        _cache.Edit(updater =>
        {
            updater.Remove("b");
            updater.AddOrUpdate(new Item("d", 5));
            updater.AddOrUpdate(new Item("c", 1));
            updater.AddOrUpdate(new Item("e", 15));
        });

        Assert.Equal("c,d,a,e", Order);
        Assert.Equal(_cache.Items.OrderBy(item => item.Value).Select(item => item.Key), _bound.Select(item => item.Key));
    }

    [Fact]
    public void SortAndBind_LargeBatch_RefillsWithOneReset()
    {
        LoadThree();

        _cache.AddOrUpdate(Enumerable.Range(0, BoundCollection<Item>.ResetThreshold + 1).Select(i => new Item($"k{i}", 100 - i)));

        Assert.Equal(["reset"], _events.Events);
        Assert.Equal(_cache.Items.OrderBy(item => item.Value).Select(item => item.Key), _bound.Select(item => item.Key));
    }

    [Fact]
    public void SortAndBind_BatchEndingInClear_LeavesItEmpty()
    {
        LoadThree();

        _cache.Edit(updater =>
        {
            updater.AddOrUpdate(new Item("d", 5));
            updater.Remove("a");
            updater.Remove("b");
            updater.Remove("c");
            updater.Remove("d");
        });

        Assert.Empty(_bound);
    }

    [Fact]
    public void SortAndBind_ChangeSets_ArePassedOnUnchanged()
    {
        _cache.AddOrUpdate(new Item("a", 1));

        Assert.Equal(["+a=1"], _passed.Values.Select(ChangeText.Of));
    }

    [Fact]
    public void SortAndBind_RandomWrites_AlwaysMatchTheSortedCache()
    {
        // DynamicData's "update anywhere should not break": many writes in a fixed pseudo-random order.
        var random = new Random(11);
        for (int i = 0; i < 500; i++)
        {
            string key = $"k{random.Next(40)}";
            if (random.Next(4) == 0)
            {
                _cache.Remove(key);
            }
            else
            {
                _cache.AddOrUpdate(new Item(key, random.Next(20)));
            }

            Assert.Equal(_cache.Items.Select(item => item.Value).Order(), _bound.Select(item => item.Value));
        }
    }
}
