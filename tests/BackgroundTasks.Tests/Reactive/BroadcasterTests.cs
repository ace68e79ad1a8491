using BackgroundTasks.Reactive;

namespace BackgroundTasks.Tests.Reactive;

public sealed class BroadcasterTests
{
    [Fact]
    public void Subscribe_NullObserver_Throws()
    {
        var broadcaster = new Broadcaster<int>();
        Assert.Throws<ArgumentNullException>("observer", () => broadcaster.Subscribe(null!));
    }

    [Fact]
    public void OnNext_NoObservers_DoesNothing()
    {
        var broadcaster = new Broadcaster<int>();

        broadcaster.OnNext(1);

        Assert.False(broadcaster.HasObservers);
    }

    [Fact]
    public void OnNext_TwoObservers_EachGetsEveryValueInOrder()
    {
        var broadcaster = new Broadcaster<int>();
        var first = new TestObserver<int>();
        var second = new TestObserver<int>();
        broadcaster.Subscribe(first);
        broadcaster.OnNext(1);
        broadcaster.Subscribe(second);

        broadcaster.OnNext(2);
        broadcaster.OnNext(3);

        Assert.True(broadcaster.HasObservers);
        Assert.Equal([1, 2, 3], first.Values);
        Assert.Equal([2, 3], second.Values);
    }

    [Fact]
    public void Dispose_Subscription_StopsDeliveryAndRemovesTheObserver()
    {
        var broadcaster = new Broadcaster<int>();
        var observer = new TestObserver<int>();
        IDisposable subscription = broadcaster.Subscribe(observer);

        subscription.Dispose();
        subscription.Dispose();
        broadcaster.OnNext(1);

        Assert.Empty(observer.Values);
        Assert.False(broadcaster.HasObservers);
    }

    [Fact]
    public void OnCompleted_CompletesEveryObserverOnceAndDropsLaterValues()
    {
        var broadcaster = new Broadcaster<int>();
        var observer = new TestObserver<int>();
        broadcaster.Subscribe(observer);

        broadcaster.OnCompleted();
        broadcaster.OnCompleted();
        broadcaster.OnNext(1);

        Assert.True(observer.IsCompleted);
        Assert.Empty(observer.Values);
        Assert.False(broadcaster.HasObservers);
        observer.AssertProtocol();
    }

    [Fact]
    public void Subscribe_AfterOnCompleted_CompletesAtOnce()
    {
        var broadcaster = new Broadcaster<int>();
        broadcaster.OnCompleted();
        var observer = new TestObserver<int>();

        broadcaster.Subscribe(observer);

        Assert.True(observer.IsCompleted);
        Assert.False(broadcaster.HasObservers);
    }

    [Fact]
    public void OnNext_CalledFromInsideOnNext_ArrivesAfterTheOuterCallReturns()
    {
        var broadcaster = new Broadcaster<int>();
        var log = new List<string>();
        broadcaster.Subscribe(new TestObserver<int>(value =>
        {
            log.Add($"enter {value}");
            if (value == 1)
            {
                broadcaster.OnNext(2);
            }

            log.Add($"leave {value}");
        }));

        broadcaster.OnNext(1);

        Assert.Equal(["enter 1", "leave 1", "enter 2", "leave 2"], log);
    }

    [Fact]
    public void OnNext_SubscriptionDisposedInside_ReceivesNothingMore()
    {
        var broadcaster = new Broadcaster<int>();
        IDisposable? subscription = null;
        var observer = new TestObserver<int>(_ =>
        {
            subscription!.Dispose();
            broadcaster.OnNext(99);
        });
        var other = new TestObserver<int>();
        subscription = broadcaster.Subscribe(observer);
        broadcaster.Subscribe(other);

        broadcaster.OnNext(1);
        broadcaster.OnNext(2);

        Assert.Equal([1], observer.Values);
        Assert.Equal([1, 99, 2], other.Values);
    }

    [Fact]
    public void OnNext_ObserverThrows_ExceptionPropagatesAndLaterValuesArrive()
    {
        var broadcaster = new Broadcaster<int>();
        var throwing = new TestObserver<int>(value =>
        {
            if (value == 1)
            {
                throw new InvalidOperationException("observer failed");
            }
        });
        var other = new TestObserver<int>();
        broadcaster.Subscribe(throwing);
        broadcaster.Subscribe(other);

        Assert.Throws<InvalidOperationException>(() => broadcaster.OnNext(1));
        broadcaster.OnNext(2);

        Assert.Equal([1, 2], throwing.Values);
        Assert.Equal([1, 2], other.Values);
    }

    [Fact]
    public void OnNext_RacingProducersAndSubscribers_NeverOverlapsAndKeepsEachProducersOrder()
    {
        const int Producers = 8;
        const int Values = 2_000;
        var broadcaster = new Broadcaster<(int Producer, int Sequence)>();
        var observers = new System.Collections.Concurrent.ConcurrentBag<(TestObserver<(int Producer, int Sequence)> Observer, bool Disposed)>();

        Parallel.For(0, Producers, new ParallelOptions { MaxDegreeOfParallelism = Producers }, producer =>
        {
            for (int i = 0; i < Values; i++)
            {
                if (i % 500 == 0)
                {
                    var observer = new TestObserver<(int Producer, int Sequence)>(spin: 20);
                    IDisposable subscription = broadcaster.Subscribe(observer);
                    bool dispose = producer == 0 && i == 500;
                    if (dispose)
                    {
                        subscription.Dispose();
                    }

                    observers.Add((observer, dispose));
                }

                broadcaster.OnNext((producer, i));
            }
        });
        broadcaster.OnCompleted();

        Assert.Equal(Producers * (Values / 500), observers.Count);
        foreach ((TestObserver<(int Producer, int Sequence)> observer, bool disposed) in observers)
        {
            observer.AssertProtocol();
            Assert.Equal(!disposed, observer.IsCompleted);
            if (disposed)
            {
                continue;
            }

            foreach (IGrouping<int, (int Producer, int Sequence)> values in observer.Values.GroupBy(v => v.Producer))
            {
                // Once a producer has seen the subscriber, it sends it every later value, in order.
                int[] sequence = [.. values.Select(v => v.Sequence)];
                Assert.Equal(Enumerable.Range(sequence[0], Values - sequence[0]), sequence);
            }
        }
    }
}
