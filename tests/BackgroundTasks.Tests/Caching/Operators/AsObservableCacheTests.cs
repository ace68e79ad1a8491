using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>AsObservableCache: a read-only cache that follows a stream until it is disposed.</summary>
public sealed class AsObservableCacheTests : IDisposable
{
    private readonly SourceCache<Item, string> _cache = new(item => item.Key);

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void AsObservableCache_FollowsTheStream()
    {
        _cache.AddOrUpdate([new Item("a", 1), new Item("b", 2)]);
        using var derived = _cache.Connect().Filter(item => item.Value > 1).AsObservableCache();

        _cache.AddOrUpdate(new Item("c", 3));

        Assert.Equal(2, derived.Count);
        Assert.Equal(["b", "c"], derived.Keys.Order());
        Assert.Equal(new Item("c", 3), derived.Lookup("c"));
        Assert.Null(derived.Lookup("a"));
    }

    [Fact]
    public void AsObservableCache_Connect_GivesSnapshotThenChanges()
    {
        _cache.AddOrUpdate(new Item("a", 1));
        using var derived = _cache.Connect().AsObservableCache();
        var observer = new TestObserver<IChangeSet<Item, string>>();
        using var subscription = derived.Connect().Subscribe(observer);

        _cache.AddOrUpdate(new Item("a", 2));

        Assert.Equal(["+a=1", "~a=2/1"], observer.Values.Select(ChangeText.Of));
    }

    [Fact]
    public void AsObservableCache_WatchAndCountChanged_Follow()
    {
        using var derived = _cache.Connect().AsObservableCache();
        var counts = new TestObserver<int>();
        var watched = new TestObserver<Change<Item, string>>();
        using var countSubscription = derived.CountChanged.Subscribe(counts);
        using var watchSubscription = derived.Watch("a").Subscribe(watched);

        _cache.AddOrUpdate(new Item("a", 1));
        _cache.Remove("a");

        Assert.Equal([0, 1, 0], counts.Values);
        Assert.Equal([ChangeReason.Add, ChangeReason.Remove], watched.Values.Select(change => change.Reason));
    }

    [Fact]
    public void AsObservableCache_Disposed_UnsubscribesAndCompletesItsStreams()
    {
        var derived = _cache.Connect().AsObservableCache();
        var observer = new TestObserver<IChangeSet<Item, string>>();
        using var subscription = derived.Connect().Subscribe(observer);
        _cache.AddOrUpdate(new Item("a", 1));

        derived.Dispose();
        _cache.AddOrUpdate(new Item("b", 2));

        Assert.True(observer.IsCompleted);
        Assert.Equal(["a"], derived.Keys);
    }

    [Fact]
    public void AsObservableCache_Disposed_LeavesTheSourceWithoutItsSubscription()
    {
        int subscriptions = 0;
        var source = System.Reactive.Linq.Observable.Create<IChangeSet<Item, string>>(_ =>
        {
            subscriptions++;
            return System.Reactive.Disposables.Disposable.Create(() => subscriptions--);
        });

        var derived = source.AsObservableCache();
        Assert.Equal(1, subscriptions);

        derived.Dispose();
        Assert.Equal(0, subscriptions);
    }

    [Fact]
    public void AsObservableCache_SourceCompletes_CompletesItsStreams()
    {
        using var derived = _cache.Connect().AsObservableCache();
        var observer = new TestObserver<IChangeSet<Item, string>>();
        using var subscription = derived.Connect().Subscribe(observer);

        _cache.Dispose();

        Assert.True(observer.IsCompleted);
        Assert.Null(observer.Completion.Exception);
    }

    [Fact]
    public void AsObservableCache_SourceFails_FailsItsStreamsAndLaterSubscribers()
    {
        var error = new InvalidOperationException("source");
        using var derived = System.Reactive.Linq.Observable.Throw<IChangeSet<Item, string>>(error).AsObservableCache();
        var observer = new TestObserver<IChangeSet<Item, string>>();

        using var subscription = derived.Connect().Subscribe(observer);

        Assert.Same(error, observer.Completion.Exception!.InnerException);
    }

    [Fact]
    public void AsObservableCache_ObserverThrows_ReachesTheWriterAndTheCacheStaysUpToDate()
    {
        var error = new InvalidOperationException("observer");
        using var derived = _cache.Connect().AsObservableCache();
        using var subscription = derived.Connect().Subscribe(changes =>
        {
            if (changes[0].Key == "a")
            {
                throw error;
            }
        });

        Assert.Same(error, Assert.Throws<InvalidOperationException>(() => _cache.AddOrUpdate(new Item("a", 1))));
        _cache.AddOrUpdate(new Item("b", 2));

        Assert.Equal(["a", "b"], derived.Keys.Order());
    }
}
