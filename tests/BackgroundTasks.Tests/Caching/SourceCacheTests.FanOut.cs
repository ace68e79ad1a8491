using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;

namespace BackgroundTasks.Tests.Caching;

/// <summary>One queue entry per change set, fanned out by the deliverer to every Connect subscriber.</summary>
public sealed partial class SourceCacheTests
{
    [Fact]
    public void AddOrUpdate_ThrowingObserverAmongMany_OthersReceiveThatChangeSetInOrderBeforeTheExceptionPropagates()
    {
        using var cache = NewCache();
        var before = Enumerable.Range(0, 5).Select(_ => ConnectObserver(cache)).ToArray();
        var throwing = new TestObserver<IChangeSet<Item, string>>(changes =>
        {
            if (changes[0].Key == "a")
            {
                throw new InvalidOperationException("observer failed");
            }
        });
        cache.Connect().Subscribe(throwing);
        var after = Enumerable.Range(0, 5).Select(_ => ConnectObserver(cache)).ToArray();

        var error = Assert.Throws<InvalidOperationException>(() => cache.AddOrUpdate(new Item("a", 1)));

        Assert.Equal("observer failed", error.Message);
        Assert.All(before.Concat(after), observer => Assert.Equal(["a"], observer.Values.Select(changes => changes[0].Key)));

        cache.AddOrUpdate(new Item("b", 1));
        Assert.All(before.Concat(after).Append(throwing), observer =>
        {
            Assert.Equal(["a", "b"], observer.Values.Select(changes => changes[0].Key));
            observer.AssertProtocol();
        });
    }

    [Fact]
    public void AddOrUpdate_SeveralObserversThrow_AggregateHoldsEachAndEveryoneElseReceives()
    {
        using var cache = NewCache();
        var first = new TestObserver<IChangeSet<Item, string>>(_ => throw new InvalidOperationException("first"));
        var second = new TestObserver<IChangeSet<Item, string>>(_ => throw new InvalidOperationException("second"));
        cache.Connect().Subscribe(first);
        var between = ConnectObserver(cache);
        cache.Connect().Subscribe(second);

        var error = Assert.Throws<AggregateException>(() => cache.AddOrUpdate(new Item("a", 1)));

        Assert.Equal(["first", "second"], error.InnerExceptions.Select(inner => inner.Message));
        Assert.Single(between.Values);
        Assert.Single(first.Values);
        Assert.Single(second.Values);
    }

    [Fact]
    public void AddOrUpdate_ObserverDisposesAnotherInsideOnNext_TheOtherReceivesNothingMore()
    {
        using var cache = NewCache();
        IDisposable? victim = null;
        var killer = new TestObserver<IChangeSet<Item, string>>(_ => victim!.Dispose());
        cache.Connect().Subscribe(killer);
        var victimObserver = new TestObserver<IChangeSet<Item, string>>();
        victim = cache.Connect().Subscribe(victimObserver);

        cache.AddOrUpdate(new Item("a", 1));
        cache.AddOrUpdate(new Item("b", 1));

        Assert.Empty(victimObserver.Values);
        Assert.Equal(2, killer.Values.Count);
    }

    [Fact]
    public async Task AddOrUpdate_ManySubscribersAndWriters_EachSeesEveryKeyOnceInWriteOrderPerKey()
    {
        using var cache = NewCache();
        var observers = Enumerable.Range(0, 16).Select(i => ConnectObserver(cache, i % 2 == 0 ? null : item => item.Value % 2 == 0)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(() =>
        {
            for (var version = 0; version < 200; version++)
            {
                cache.AddOrUpdate(new Item("k" + writer, version));
            }
        }))).WaitAsync(s_hangGuard);

        foreach (var (observer, index) in observers.Select((observer, index) => (observer, index)))
        {
            observer.AssertProtocol();
            var view = new Dictionary<string, int>();
            foreach (var change in observer.Values.SelectMany(changes => changes))
            {
                if (change.Reason == ChangeReason.Remove)
                {
                    Assert.True(view.Remove(change.Key));
                    continue;
                }

                // Per key, versions only go up: nothing is reordered or delivered twice.
                Assert.True(!view.TryGetValue(change.Key, out var seen) || seen < change.Current.Value);
                view[change.Key] = change.Current.Value;
            }

            // The last version, 199, is odd: the filtered observers saw each key leave their view.
            Assert.All(Enumerable.Range(0, 4), writer => Assert.Equal(index % 2 == 0 ? 199 : -1, view.GetValueOrDefault("k" + writer, -1)));
        }
    }
}
