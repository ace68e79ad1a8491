using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;
using static BackgroundTasks.Tests.Caching.Operators.Changes;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <content>How groups end: completion, disposal, failures, and observers that throw.</content>
public sealed partial class GroupTests
{
    [Fact]
    public void Group_SourceCompletes_CompletesTheStreamAndEveryGroup()
    {
        _cache.AddOrUpdate(new Item("a", 1));
        var groups = new TestObserver<IChangeSet<IGroup<Item, string, string>, string>>();
        using var subscription = _cache.Connect().Group(Parity).Subscribe(groups);
        var members = new TestObserver<IChangeSet<Item, string>>();
        using var membership = groups.Values[0][0].Current.Cache.Connect().Subscribe(members);

        _cache.Dispose();

        Assert.True(groups.IsCompleted);
        Assert.True(members.IsCompleted);
    }

    [Fact]
    public void Group_Disposed_CompletesEveryGroupsStreams()
    {
        _cache.AddOrUpdate(new Item("a", 1));
        IGroup<Item, string, string>? odd = null;
        var subscription = _cache.Connect().Group(Parity).Subscribe(changes => odd = changes[0].Current);
        var members = new TestObserver<IChangeSet<Item, string>>();
        using var membership = odd!.Cache.Connect().Subscribe(members);

        subscription.Dispose();

        Assert.True(members.IsCompleted);
    }

    [Fact]
    public void Group_KeySelectorThrows_FailsTheStreamAndEveryGroup()
    {
        var error = new InvalidOperationException("group key");
        _cache.AddOrUpdate(new Item("a", 1));
        var groups = new TestObserver<IChangeSet<IGroup<Item, string, string>, string>>();
        using var subscription = _cache.Connect().Group(item => item.Value > 5 ? throw error : "small").Subscribe(groups);
        var members = new TestObserver<IChangeSet<Item, string>>();
        using var membership = groups.Values[0][0].Current.Cache.Connect().Subscribe(members);

        _cache.AddOrUpdate(new Item("b", 9));

        Assert.Same(error, groups.Completion.Exception!.InnerException);
        Assert.Same(error, members.Completion.Exception!.InnerException);
    }

    [Fact]
    public void Group_KeySelectorReturnsNull_FailsWithAClearError()
    {
        var source = Source(At(300, Add("a", 1)));

        var failure = Assert.Single(Record(() => source.Group<Item, string, string>(_ => null!), ShowGroup)).Value;

        Assert.Equal(Messages.NullGroupKey("a"), Assert.IsType<InvalidOperationException>(failure.Exception).Message);
    }

    [Fact]
    public void Group_GroupCacheObserverThrows_OtherGroupsStillUpdateAndTheErrorReachesTheWriter()
    {
        var error = new InvalidOperationException("observer");
        _cache.AddOrUpdate([new Item("a", 1), new Item("b", 2)]);
        var groups = new Dictionary<string, IGroup<Item, string, string>>();
        using var subscription = _cache.Connect().Group(Parity).Subscribe(changes =>
        {
            foreach (var change in changes)
            {
                groups[change.Key] = change.Current;
            }
        });
        using var throwing = groups["odd"].Cache.Connect().Subscribe(changes =>
        {
            if (changes.Updates != 0)
            {
                throw error;
            }
        });

        var thrown = Assert.Throws<InvalidOperationException>(() => _cache.AddOrUpdate([new Item("a", 3), new Item("b", 4)]));

        Assert.Same(error, thrown);
        Assert.Equal("b=4", ChangeText.Items(groups["even"].Cache.Items));
        Assert.Equal("a=3", ChangeText.Items(groups["odd"].Cache.Items));
    }

    [Fact]
    public void Group_CacheDisposedByItsUser_StaysLive()
    {
        _cache.AddOrUpdate(new Item("a", 1));
        IGroup<Item, string, string>? odd = null;
        using var subscription = _cache.Connect().Group(Parity).Subscribe(changes => odd = changes[0].Current);

        odd!.Cache.Dispose();
        _cache.AddOrUpdate(new Item("b", 3));

        Assert.Equal("a=1 b=3", ChangeText.Items(odd.Cache.Items));
    }
}
