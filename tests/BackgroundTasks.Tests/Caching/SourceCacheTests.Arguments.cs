using BackgroundTasks.Caching;

namespace BackgroundTasks.Tests.Caching;

public sealed partial class SourceCacheTests
{
    [Fact]
    public void Ctor_NullKeySelector_Throws() =>
        Assert.Throws<ArgumentNullException>("keySelector", () => new SourceCache<Item, string>(null!));

    [Fact]
    public void AddOrUpdate_NullItem_Throws()
    {
        using var cache = NewCache();
        Assert.Throws<ArgumentNullException>("item", () => cache.AddOrUpdate((Item)null!));
    }

    [Fact]
    public void AddOrUpdate_NullItems_Throws()
    {
        using var cache = NewCache();
        Assert.Throws<ArgumentNullException>("items", () => cache.AddOrUpdate((IEnumerable<Item>)null!));
    }

    [Fact]
    public void AddOrUpdate_ItemsContainingNull_ThrowsAndChangesNothing()
    {
        using var cache = NewCache();
        var error = Assert.Throws<ArgumentNullException>("items", () => cache.AddOrUpdate([new Item("a", 1), null!]));
        Assert.StartsWith(Messages.NullItem, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Remove_NullKey_Throws()
    {
        using var cache = NewCache();
        Assert.Throws<ArgumentNullException>("key", () => cache.Remove(null!));
    }

    [Fact]
    public void Edit_NullUpdate_Throws()
    {
        using var cache = NewCache();
        Assert.Throws<ArgumentNullException>("update", () => cache.Edit(null!));
    }

    [Fact]
    public void Lookup_NullKey_Throws()
    {
        using var cache = NewCache();
        Assert.Throws<ArgumentNullException>("key", () => cache.Lookup(null!));
    }

    [Fact]
    public void Updater_NullArguments_Throw()
    {
        using var cache = NewCache();
        cache.Edit(updater =>
        {
            Assert.Throws<ArgumentNullException>("item", () => updater.AddOrUpdate((Item)null!));
            Assert.Throws<ArgumentNullException>("items", () => updater.AddOrUpdate((IEnumerable<Item>)null!));
            Assert.Throws<ArgumentNullException>("items", () => updater.AddOrUpdate([null!]));
            Assert.Throws<ArgumentNullException>("key", () => updater.Remove(null!));
            Assert.Throws<ArgumentNullException>("key", () => updater.Refresh(null!));
            Assert.Throws<ArgumentNullException>("key", () => updater.Lookup(null!));
        });
    }
}
