using BackgroundTasks.Reactive;

namespace BackgroundTasks.Tests.Reactive;

/// <summary>An observer that throws must cost the other observers nothing: they get every value at once.</summary>
public sealed class BroadcasterFaultTests
{
    [Fact]
    public void OnNext_FirstObserverThrows_TheOthersGetTheValueAtOnce()
    {
        var broadcaster = new Broadcaster<int>();
        broadcaster.Subscribe(new TestObserver<int>(_ => throw new InvalidOperationException("observer failed")));
        var others = new[] { new TestObserver<int>(), new TestObserver<int>() };
        foreach (var other in others)
        {
            broadcaster.Subscribe(other);
        }

        for (var value = 1; value <= 5; value++)
        {
            var thrown = Assert.Throws<InvalidOperationException>(() => broadcaster.OnNext(value));
            Assert.Equal("observer failed", thrown.Message);
            foreach (var other in others)
            {
                Assert.Equal(Enumerable.Range(1, value), other.Values);
            }
        }
    }

    [Fact]
    public void OnNext_ObserverThrowsWithAFaultHandler_ReportsItAndThrowsNothing()
    {
        var faults = new List<(Exception Exception, int Value)>();
        var broadcaster = new Broadcaster<int>((exception, value) => faults.Add((exception, value)));
        broadcaster.Subscribe(new TestObserver<int>(value =>
        {
            if (value % 2 == 0)
            {
                throw new InvalidOperationException($"even {value}");
            }
        }));
        var other = new TestObserver<int>();
        broadcaster.Subscribe(other);

        for (var value = 1; value <= 4; value++)
        {
            broadcaster.OnNext(value);
        }

        Assert.Equal([1, 2, 3, 4], other.Values);
        Assert.Equal([2, 4], faults.Select(f => f.Value));
        Assert.Equal(["even 2", "even 4"], faults.Select(f => f.Exception.Message));
    }

    [Fact]
    public void OnNext_ObserverThrowsAfterQueueingAValue_TheQueuedValueIsDeliveredInTheSameRun()
    {
        var broadcaster = new Broadcaster<int>();
        broadcaster.Subscribe(new TestObserver<int>(value =>
        {
            if (value == 1)
            {
                broadcaster.OnNext(2);
                throw new InvalidOperationException("observer failed");
            }
        }));
        var other = new TestObserver<int>();
        broadcaster.Subscribe(other);

        Assert.Throws<InvalidOperationException>(() => broadcaster.OnNext(1));

        Assert.Equal([1, 2], other.Values);
    }

    [Fact]
    public void OnNext_TwoObserversThrow_BothExceptionsSurfaceTogetherAfterTheOthersGotTheValue()
    {
        var broadcaster = new Broadcaster<int>();
        broadcaster.Subscribe(new TestObserver<int>(_ => throw new InvalidOperationException("first")));
        broadcaster.Subscribe(new TestObserver<int>(_ => throw new ArgumentException("second")));
        var other = new TestObserver<int>();
        broadcaster.Subscribe(other);

        var thrown = Assert.Throws<AggregateException>(() => broadcaster.OnNext(1));

        Assert.Equal(["first", "second"], thrown.InnerExceptions.Select(e => e.Message));
        Assert.Equal([1], other.Values);
    }

    [Fact]
    public void OnCompleted_ObserverThrows_TheOthersAreStillCompleted()
    {
        var faults = new List<Exception>();
        var broadcaster = new Broadcaster<int>((exception, _) => faults.Add(exception));
        broadcaster.Subscribe(new ThrowingOnCompletion());
        var other = new TestObserver<int>();
        broadcaster.Subscribe(other);

        broadcaster.OnCompleted();

        Assert.True(other.IsCompleted);
        Assert.Equal("completion failed", Assert.Single(faults).Message);
    }

    private sealed class ThrowingOnCompletion : IObserver<int>
    {
        public void OnCompleted() => throw new InvalidOperationException("completion failed");

        public void OnError(Exception error)
        {
        }

        public void OnNext(int value)
        {
        }
    }
}
