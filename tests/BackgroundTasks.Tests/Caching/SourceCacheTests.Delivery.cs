using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;

namespace BackgroundTasks.Tests.Caching;

public sealed partial class SourceCacheTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public void Dispose_CompletesEverySubscriberOnce()
    {
        var cache = NewCache();
        cache.AddOrUpdate(new Item("a", 1));
        var connected = ConnectObserver(cache);
        var watching = new TestObserver<Change<Item, string>>();
        var counting = new TestObserver<int>();
        cache.Watch("a").Subscribe(watching);
        cache.CountChanged.Subscribe(counting);

        cache.Dispose();
        cache.Dispose();

        Assert.True(connected.IsCompleted);
        Assert.True(watching.IsCompleted);
        Assert.True(counting.IsCompleted);
        connected.AssertProtocol();
        watching.AssertProtocol();
        counting.AssertProtocol();
    }

    [Fact]
    public void Dispose_ThenWrite_ThrowsObjectDisposed()
    {
        var cache = NewCache();
        cache.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cache.AddOrUpdate(new Item("a", 1)));
        Assert.Throws<ObjectDisposedException>(() => cache.AddOrUpdate([new Item("a", 1)]));
        Assert.Throws<ObjectDisposedException>(() => cache.Remove("a"));
        Assert.Throws<ObjectDisposedException>(() => cache.Edit(_ => { }));
    }

    [Fact]
    public void Dispose_ThenSubscribe_CompletesAtOnce()
    {
        var cache = NewCache();
        cache.AddOrUpdate(new Item("a", 1));
        cache.Dispose();
        var connected = ConnectObserver(cache);
        var watching = new TestObserver<Change<Item, string>>();
        var counting = new TestObserver<int>();

        cache.Watch("a").Subscribe(watching);
        cache.CountChanged.Subscribe(counting);

        Assert.True(connected.IsCompleted && watching.IsCompleted && counting.IsCompleted);
        Assert.Empty(connected.Values);
        Assert.Empty(watching.Values);
        Assert.Empty(counting.Values);
    }

    [Fact]
    public void Dispose_ThenRead_ReturnsTheLastContents()
    {
        var cache = NewCache();
        cache.AddOrUpdate(new Item("a", 1));
        cache.Dispose();

        Assert.Equal(1, cache.Count);
        Assert.Equal(new Item("a", 1), cache.Lookup("a"));
        Assert.Single(cache.Items);
    }

    [Fact]
    public void OnNext_ObserverWritesToTheCache_NestedChangeArrivesAfterOnNextReturns()
    {
        using var cache = NewCache();
        var log = new List<string>();
        var observer = new TestObserver<IChangeSet<Item, string>>(changes =>
        {
            string key = changes[0].Key;
            log.Add($"enter {key}");
            if (key == "a")
            {
                cache.AddOrUpdate(new Item("b", 1));
                log.Add($"wrote b, count {cache.Count}, lookup {cache.Lookup("b")?.Value}");
            }

            log.Add($"leave {key}");
        });
        cache.Connect().Subscribe(observer);

        cache.AddOrUpdate(new Item("a", 1));

        Assert.Equal(["enter a", "wrote b, count 2, lookup 1", "leave a", "enter b", "leave b"], log);
        observer.AssertProtocol();
    }

    [Fact]
    public void OnNext_AnotherThreadReadsTheCache_NoLockIsHeld()
    {
        using var cache = NewCache();
        int countSeenElsewhere = -1;
        cache.Connect().Subscribe(new TestObserver<IChangeSet<Item, string>>(_ =>
            countSeenElsewhere = Task.Run(() => cache.Count).WaitAsync(s_hangGuard).GetAwaiter().GetResult()));

        cache.AddOrUpdate(new Item("a", 1));

        Assert.Equal(1, countSeenElsewhere);
    }

    [Fact]
    public void OnNext_ObserverConnectsInside_ItsSnapshotArrivesAfterOnNextReturns()
    {
        using var cache = NewCache();
        var inner = new TestObserver<IChangeSet<Item, string>>();
        bool innerEmptyInside = false;
        var outer = new TestObserver<IChangeSet<Item, string>>(_ =>
        {
            cache.Connect().Subscribe(inner);
            innerEmptyInside = inner.Values.Count == 0;
        });
        cache.Connect().Subscribe(outer);

        cache.AddOrUpdate(new Item("a", 1));

        Assert.True(innerEmptyInside);
        Assert.Equal(1, Assert.Single(inner.Values).Adds);
    }

    [Fact]
    public void OnNext_SubscriptionDisposedInside_ReceivesNothingMore()
    {
        using var cache = NewCache();
        IDisposable? subscription = null;
        var observer = new TestObserver<IChangeSet<Item, string>>(_ =>
        {
            subscription!.Dispose();

            // Queued behind this call: must not reach the disposed observer.
            cache.AddOrUpdate(new Item("b", 1));
        });
        subscription = cache.Connect().Subscribe(observer);

        cache.AddOrUpdate(new Item("a", 1));
        cache.AddOrUpdate(new Item("c", 1));

        Assert.Single(observer.Values);
    }

    [Fact]
    public void OnNext_ObserverThrows_ExceptionPropagatesAndDeliveryContinues()
    {
        using var cache = NewCache();
        bool thrown = false;
        var throwing = new TestObserver<IChangeSet<Item, string>>(_ =>
        {
            if (!thrown)
            {
                thrown = true;
                throw new InvalidOperationException("observer failed");
            }
        });
        var other = ConnectObserver(cache);
        cache.Connect().Subscribe(throwing);
        var last = ConnectObserver(cache);

        var error = Assert.Throws<InvalidOperationException>(() => cache.AddOrUpdate(new Item("a", 1)));
        Assert.Equal("observer failed", error.Message);
        cache.AddOrUpdate(new Item("b", 1));

        Assert.Equal(2, other.Values.Count);
        Assert.Equal(2, throwing.Values.Count);
        Assert.Equal(["a", "b"], last.Values.Select(changes => changes[0].Key));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task AddOrUpdate_WhileAnotherThreadDelivers_ReturnsAndThatThreadDeliversInOrder()
    {
        using var cache = NewCache();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new ManualResetEventSlim();
        var observer = new TestObserver<IChangeSet<Item, string>>(changes =>
        {
            if (changes[0].Key == "a")
            {
                entered.SetResult();
                release.Wait(s_hangGuard);
            }
        });
        cache.Connect().Subscribe(observer);

        Task firstWriter = Task.Run(() => cache.AddOrUpdate(new Item("a", 1)));
        await entered.Task.WaitAsync(s_hangGuard);

        // The first writer is the deliverer and is inside OnNext: this write is queued and returns.
        await Task.Run(() => cache.AddOrUpdate(new Item("b", 1))).WaitAsync(s_hangGuard);
        Assert.Equal(["a"], observer.Values.Select(changes => changes[0].Key));

        release.Set();
        await firstWriter.WaitAsync(s_hangGuard);
        Assert.Equal(["a", "b"], observer.Values.Select(changes => changes[0].Key));
        release.Dispose();
    }

    [Fact]
    public void Write_NoSubscribers_AllocatesNothing()
    {
        using var cache = NewCache();
        var items = Enumerable.Range(0, 100).Select(i => new Item($"k{i}", i)).ToArray();
        foreach (Item item in items)
        {
            cache.AddOrUpdate(item);
        }

        // Warm up: the first call caches the static lambdas' delegates.
        Write(cache, items[0]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++)
        {
            foreach (Item item in items)
            {
                Write(cache, item);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Write(SourceCache<Item, string> cache, Item item) =>
            cache.Edit(item, static (updater, item) => updater.AddOrUpdate(item));
    }
}
