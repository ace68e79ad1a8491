using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>The delivery rules through an operator chain, raced by concurrent writers.</summary>
public sealed class OperatorDeliveryTests : IDisposable
{
    private const int Writers = 4;
    private const int WritesPerWriter = 500;

    private readonly SourceCache<Item, string> _cache = new(item => item.Key);

    public void Dispose() => _cache.Dispose();

    private void RaceWriters(Func<int, int, Item> item)
    {
        using var start = new Barrier(Writers);
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
        {
            start.SignalAndWait();
            for (int i = 0; i < WritesPerWriter; i++)
            {
                _cache.AddOrUpdate(item(writer, i));
            }
        });
    }

    [Fact]
    public void Chain_ConcurrentWriters_NeverOverlapsCallsAndEndsLikeTheCache()
    {
        var observer = new OverlapDetectingObserver<IChangeSet<Item, string>>();
        using var subscription = _cache.Connect()
            .Filter(item => item.Value % 3 != 0)
            .Transform(item => new Item(item.Key, item.Value * 10))
            .Subscribe(observer);

        RaceWriters((writer, i) => new Item($"k{i % 50}", (writer * WritesPerWriter) + i));

        Assert.Equal(0, observer.Overlaps);
        var view = new ChangeSetView<Item, string>();
        foreach (var changes in observer.Items)
        {
            view.Apply(changes);
        }

        Assert.Empty(view.Errors);
        var expected = _cache.Items.Where(item => item.Value % 3 != 0).Select(item => $"{item.Key}={item.Value * 10}").Order();
        Assert.Equal(expected, view.Items.Values.Select(item => $"{item.Key}={item.Value}").Order());
    }

    [Fact]
    public void Group_ConcurrentWriters_NeverOverlapsAndEachGroupHoldsItsMembers()
    {
        var groups = new OverlapDetectingObserver<IChangeSet<IGroup<Item, string, int>, int>>();
        using var subscription = _cache.Connect().Group(item => item.Value % 4).Subscribe(groups);

        RaceWriters((writer, i) => new Item($"k{i % 40}", (writer * WritesPerWriter) + i));

        Assert.Equal(0, groups.Overlaps);
        var view = new ChangeSetView<IGroup<Item, string, int>, int>();
        foreach (var changes in groups.Items)
        {
            view.Apply(changes);
        }

        Assert.Empty(view.Errors);
        foreach (var group in view.Items.Values)
        {
            Assert.Equal(
                _cache.Items.Where(item => item.Value % 4 == group.Key).Select(item => item.Key).Order(),
                group.Cache.Keys.Order());
        }
    }

    [Fact]
    public void DynamicFilter_PredicatesRacingWriters_NeverOverlapsAndEndsOnTheLastPredicate()
    {
        var observer = new OverlapDetectingObserver<IChangeSet<Item, string>>();
        using var predicates = new System.Reactive.Subjects.Subject<Func<Item, bool>>();
        using var subscription = _cache.Connect().Filter(predicates).Subscribe(observer);

        using var start = new Barrier(2);
        Parallel.Invoke(
            () =>
            {
                start.SignalAndWait();
                for (int i = 0; i < WritesPerWriter * 2; i++)
                {
                    _cache.AddOrUpdate(new Item($"k{i % 80}", i));
                }
            },
            () =>
            {
                start.SignalAndWait();
                for (int i = 0; i < 200; i++)
                {
                    int modulus = (i % 3) + 2;
                    predicates.OnNext(item => item.Value % modulus == 0);
                }
            });
        predicates.OnNext(item => item.Value % 2 == 0);

        Assert.Equal(0, observer.Overlaps);
        var view = new ChangeSetView<Item, string>();
        foreach (var changes in observer.Items)
        {
            view.Apply(changes);
        }

        Assert.Empty(view.Errors);
        Assert.Equal(_cache.Items.Where(item => item.Value % 2 == 0).Select(item => item.Key).Order(), view.Items.Keys.Order());
    }

    [Fact]
    public void Chain_ObserverCallsBackIntoItsInputsFromOnNext_GetsTheResultAfterwardsWithoutDeadlock()
    {
        // No lock is held while the observer runs, so it may write to the cache and push a predicate from OnNext;
        // both arrive after its OnNext returns: the predicate first (the filter's gate runs it next), then the
        // write (the cache delivers it once the change set being delivered is done).
        using var predicates = new System.Reactive.Subjects.BehaviorSubject<Func<Item, bool>>(_ => true);
        var log = new List<string>();
        using var subscription = _cache.Connect().Filter(predicates).Group(item => item.Value).Subscribe(changes =>
        {
            log.Add(ChangeText.Of(changes, group => string.Join(',', group.Cache.Keys)));
            if (changes[0] is { Key: 1, Reason: ChangeReason.Add })
            {
                _cache.AddOrUpdate(new Item("b", 2));
                predicates.OnNext(item => item.Value == 2);
                log.Add("wrote");
            }
        });

        _cache.AddOrUpdate(new Item("a", 1));

        Assert.Equal(["+1=a", "wrote", "-1=", "+2=b"], log);
    }

    [Fact]
    public void Operator_TwoSubscribers_EachGetsItsOwnState()
    {
        var filtered = _cache.Connect().Filter(item => item.Value > 0);
        var first = new ChangeSetView<Item, string>();
        using var firstSubscription = filtered.Subscribe(first.Apply);
        _cache.AddOrUpdate(new Item("a", 1));

        var second = new ChangeSetView<Item, string>();
        using var secondSubscription = filtered.Subscribe(second.Apply);
        _cache.AddOrUpdate(new Item("a", 0));

        Assert.Empty(first.Errors);
        Assert.Empty(second.Errors);
        Assert.Empty(first.Items);
        Assert.Empty(second.Items);
        Assert.Equal(2, first.ChangeSets);
        Assert.Equal(2, second.ChangeSets);
    }

    [Fact]
    public void SortAndBind_ConcurrentWriters_EndsSortedLikeTheCache()
    {
        var observer = new OverlapDetectingObserver<IChangeSet<Item, string>>();
        using var subscription = _cache.Connect()
            .SortAndBind(out var bound, Comparer<Item>.Create((x, y) => x.Value.CompareTo(y.Value)))
            .Subscribe(observer);

        RaceWriters((writer, i) => new Item($"k{i % 60}", (i * 7919) % 1000));

        Assert.Equal(0, observer.Overlaps);
        Assert.Equal(_cache.Items.Select(item => item.Value).Order(), bound.Select(item => item.Value));
    }

    [Fact]
    public async Task OnItemRemoved_DisposedWhileAWriterDelivers_RunsForTheHeldItemsOnceAndNeverBesideAChangeSet()
    {
        var inside = 0;
        var overlaps = 0;
        var removed = new List<string>();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = _cache.Connect()
            .OnItemRemoved(item =>
            {
                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                removed.Add(item.Key);
                Interlocked.Decrement(ref inside);
            })
            .Subscribe(changes =>
            {
                Interlocked.Increment(ref inside);
                entered.TrySetResult();
                release.Task.Wait(TimeSpan.FromSeconds(10));
                Interlocked.Decrement(ref inside);
            });

        var writer = Task.Run(() => _cache.AddOrUpdate(new Item("a", 1)));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        subscription.Dispose();
        Assert.Empty(removed);   // the change set is still being delivered: the cleanup waits for it
        release.SetResult();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["a"], removed);
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task OnItemRemoved_DisposeRacingAWriter_RunsOnceForExactlyTheItemsItPassedOn()
    {
        for (int round = 0; round < 20; round++)
        {
            using var cache = new SourceCache<Item, string>(item => item.Key);
            var removed = new List<string>();
            var delivered = new List<string>();
            var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var subscription = cache.Connect()
                .OnItemRemoved(item => removed.Add(item.Key))
                .Subscribe(changes =>
                {
                    delivered.AddRange(changes.Select(change => change.Key));
                    if (delivered.Count == 100)
                    {
                        halfway.TrySetResult();
                    }
                });

            var writer = Task.Run(() =>
            {
                for (int i = 0; i < 400; i++)
                {
                    cache.AddOrUpdate(new Item($"k{i}", i));
                }
            });
            await halfway.Task.WaitAsync(TimeSpan.FromSeconds(10));
            subscription.Dispose();
            await writer.WaitAsync(TimeSpan.FromSeconds(10));

            // Every item the sink passed on was held, so each is "removed" exactly once when the chain ends.
            Assert.Equal(delivered.Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Chain_ObserverThrows_OtherSubscribersStillReceiveAndTheChainKeepsWorking()
    {
        var error = new InvalidOperationException("observer");
        var faults = new List<Exception>();
        var other = new TestObserver<IChangeSet<Item, string>>();
        int calls = 0;
        using var throwing = _cache.Connect().Filter(_ => true).Subscribe(_ =>
        {
            if (++calls == 1)
            {
                throw error;
            }
        });
        using var subscription = _cache.Connect().Filter(_ => true).Subscribe(other);

        faults.Add(Assert.Throws<InvalidOperationException>(() => _cache.AddOrUpdate(new Item("a", 1))));
        _cache.AddOrUpdate(new Item("b", 2));

        Assert.Same(error, Assert.Single(faults));
        Assert.Equal(2, other.Values.Count);
        Assert.Equal(2, calls);
    }
}
