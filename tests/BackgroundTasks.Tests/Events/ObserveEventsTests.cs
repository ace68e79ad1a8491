using System.Collections.Concurrent;
using BackgroundTasks.Tests.Reactive;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Events;

public sealed class ObserveEventsTests
{
    [Fact]
    public async Task Sequence_IsNumberedPerThread_InPublishOrder_OnEveryStream()
    {
        await using var fixture = new ManagerFixture();
        var (inbox, receiver) = Inbox.Create();
        fixture.Manager.SetOwnerInbox("a", inbox);
        var all = new TestObserver<TaskEvent>();
        var ofA = new TestObserver<TaskEvent>();
        using var allSubscription = fixture.Manager.Events.Subscribe(all);
        using var aSubscription = fixture.Manager.ObserveEvents("a").Subscribe(ofA);

        await RunEmittingAsync(fixture.Manager, "a", tasks: 3, emits: 2);
        await RunEmittingAsync(fixture.Manager, "b", tasks: 2, emits: 1);

        // Three tasks of two custom events and a terminal one: 1..9 on "a"; 1..4 on "b".
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), ofA.Values.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), receiver.Drain().Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), all.Values.Where(e => OwnerOf(fixture, e) == "a").Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 4).Select(i => (long)i), all.Values.Where(e => OwnerOf(fixture, e) == "b").Select(e => e.Sequence));
    }

    [Fact]
    public async Task ObserveEvents_ConcurrentTasksOfOneThread_SeesEveryNumberOnceInOrder_NeverOverlapping()
    {
        await using var fixture = new ManagerFixture();
        var observer = new TestObserver<TaskEvent>(spin: 20);
        using var subscription = fixture.Manager.ObserveEvents("t1").Subscribe(observer);

        await RunEmittingAsync(fixture.Manager, "t1", tasks: 16, emits: 50);

        Assert.Equal(Enumerable.Range(1, 16 * 51).Select(i => (long)i), observer.Values.Select(e => e.Sequence));
        Assert.Equal(0, observer.Overlaps);
    }

    [Fact]
    public async Task ObserveEvents_WithAfterSequence_ReplaysTheRetainedEventsAfterIt_ThenLiveOnes()
    {
        await using var fixture = new ManagerFixture();
        await RunEmittingAsync(fixture.Manager, "t1", tasks: 2, emits: 2);   // 1..6

        var fromStart = new TestObserver<TaskEvent>();
        var resumed = new TestObserver<TaskEvent>();
        using var s1 = fixture.Manager.ObserveEvents("t1", 0).Subscribe(fromStart);
        using var s2 = fixture.Manager.ObserveEvents("t1", 4).Subscribe(resumed);
        await RunEmittingAsync(fixture.Manager, "t1", tasks: 1, emits: 1);  // 7, 8

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8], fromStart.Values.Select(e => e.Sequence));
        Assert.Equal([5L, 6, 7, 8], resumed.Values.Select(e => e.Sequence));
        Assert.IsType<TaskEvent.Completed>(resumed.Values[1]);
    }

    [Fact]
    public async Task ObserveEvents_ResumingWhileEventsFlow_HasNoGapAndNoDuplicate()
    {
        await using var fixture = new ManagerFixture();
        var first = new TestObserver<TaskEvent>();
        var firstSubscription = fixture.Manager.ObserveEvents("t1").Subscribe(first);
        var resumed = new ConcurrentQueue<long>();

        var running = RunEmittingAsync(fixture.Manager, "t1", tasks: 8, emits: 200);

        // Race the reconnect with the publishers: drop the first stream mid-flow, resume after the last number seen.
        while (first.Values.Count < 100)
        {
            await Task.Yield();
        }

        firstSubscription.Dispose();
        var lastSeen = first.Values[^1].Sequence;
        using var second = fixture.Manager.ObserveEvents("t1", lastSeen).Subscribe(e => resumed.Enqueue(e.Sequence));
        await running;

        var total = 8 * 201;
        Assert.Equal(Enumerable.Range(1, (int)lastSeen).Select(i => (long)i), first.Values.Select(e => e.Sequence).Take((int)lastSeen));
        Assert.Equal(Enumerable.Range((int)lastSeen + 1, total - (int)lastSeen).Select(i => (long)i), resumed);
    }

    [Fact]
    public async Task ObserveEvents_WhenAnEventAfterItIsNoLongerRetained_FailsAtOnceWithEventsExpired()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { EventReplayCapacityPerOwner = 3 });
        await RunEmittingAsync(fixture.Manager, "t1", tasks: 1, emits: 4);   // 1..5; 3, 4, 5 retained

        var expired = await Assert.ThrowsAsync<EventsExpiredException>(() => FirstAsync(fixture.Manager.ObserveEvents("t1", 1)));
        Assert.Equal("t1", expired.OwnerThreadId);
        Assert.Equal(1, expired.RequestedAfter);
        Assert.Equal(3, expired.OldestRetained);
        Assert.Equal(
            "The events of thread 't1' after sequence 1 are no longer retained: the oldest retained is 3; reload the thread's state and observe again.",
            expired.Message);

        var replayed = new TestObserver<TaskEvent>();
        using var subscription = fixture.Manager.ObserveEvents("t1", 2).Subscribe(replayed);
        Assert.Equal([3L, 4, 5], replayed.Values.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ObserveEvents_AfterANumberBeyondTheLast_FailsWithEventsExpired_NothingRetained()
    {
        // A client that saw seq 40 from an earlier process: what followed is gone.
        await using var fixture = new ManagerFixture();

        var expired = await Assert.ThrowsAsync<EventsExpiredException>(() => FirstAsync(fixture.Manager.ObserveEvents("t1", 40)));

        Assert.Equal(40, expired.RequestedAfter);
        Assert.Equal(0, expired.OldestRetained);
        Assert.Equal(
            "The events of thread 't1' after sequence 40 are no longer retained, and none is retained now; reload the thread's state and observe its live events.",
            expired.Message);
    }

    [Fact]
    public async Task ObserveEvents_ReplayOff_ResumesOnlyFromTheLastNumber()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { EventReplayCapacityPerOwner = 0 });
        await RunEmittingAsync(fixture.Manager, "t1", tasks: 1, emits: 1);   // 1, 2

        var expired = await Assert.ThrowsAsync<EventsExpiredException>(() => FirstAsync(fixture.Manager.ObserveEvents("t1", 1)));
        Assert.Equal(0, expired.OldestRetained);

        var live = new TestObserver<TaskEvent>();
        using var subscription = fixture.Manager.ObserveEvents("t1", 2).Subscribe(live);
        await RunEmittingAsync(fixture.Manager, "t1", tasks: 1, emits: 0);
        Assert.Equal([3L], live.Values.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ObserveEvents_BadArguments_Throw()
    {
        await using var fixture = new ManagerFixture();

        var negative = Assert.Throws<ArgumentOutOfRangeException>("afterSequence", () => fixture.Manager.ObserveEvents("t1", -1));
        Assert.StartsWith("afterSequence must be null (live events only) or at least 0, but it is -1.", negative.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>("ownerThreadId", () => fixture.Manager.ObserveEvents(null!));
        Assert.Throws<ArgumentException>("ownerThreadId", () => fixture.Manager.ObserveEvents(""));
        Assert.Throws<ArgumentOutOfRangeException>(
            "EventReplayCapacityPerOwner", () => new BackgroundTaskManager(new BackgroundTaskManagerOptions { EventReplayCapacityPerOwner = -1 }));
    }

    [Fact]
    public async Task ObserveEvents_BeforeAStoreIsBound_DeliversOnceOneIs()
    {
        await using var manager = new BackgroundTaskManager();
        using var store = new TaskStateStore();
        var observer = new TestObserver<TaskEvent>();
        using var subscription = manager.ObserveEvents("t1", 0).Subscribe(observer);

        manager.SetStore(store);
        await RunEmittingAsync(manager, "t1", tasks: 1, emits: 1);

        Assert.Equal([1L, 2], observer.Values.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ObserveEvents_AnObserverThatThrows_IsReported_AndTheOthersGetEveryEvent()
    {
        await using var fixture = new ManagerFixture();
        using var faulty = fixture.Manager.ObserveEvents("t1").Subscribe(_ => throw new InvalidOperationException("observer bug"));
        var healthy = new TestObserver<TaskEvent>();
        using var subscription = fixture.Manager.ObserveEvents("t1").Subscribe(healthy);

        await RunEmittingAsync(fixture.Manager, "t1", tasks: 2, emits: 1);

        Assert.Equal([1L, 2, 3, 4], healthy.Values.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ObserveEvents_DisposingInsideOnNext_StopsDeliveryAtOnce()
    {
        await using var fixture = new ManagerFixture();
        var seen = new List<long>();
        IDisposable? subscription = null;
        subscription = fixture.Manager.ObserveEvents("t1").Subscribe(e =>
        {
            seen.Add(e.Sequence);
            subscription!.Dispose();
        });

        await RunEmittingAsync(fixture.Manager, "t1", tasks: 1, emits: 3);

        Assert.Equal([1L], seen);
    }

    [Fact]
    public async Task DisposeAsync_CompletesEveryObserveEventsStream_AndLaterOnesAtOnce()
    {
        var fixture = new ManagerFixture();
        var before = new TestObserver<TaskEvent>();
        using var subscription = fixture.Manager.ObserveEvents("t1").Subscribe(before);

        await fixture.DisposeAsync();
        var after = new TestObserver<TaskEvent>();
        using var late = fixture.Manager.ObserveEvents("t2").Subscribe(after);

        await before.Completion.Guarded();
        await after.Completion.Guarded();
    }

    /// <summary>Runs <paramref name="tasks"/> tasks of one thread at once, each emitting <paramref name="emits"/> events, and waits for all.</summary>
    internal static async Task RunEmittingAsync(BackgroundTaskManager manager, string owner, int tasks, int emits)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ids = new List<string>();
        for (var t = 0; t < tasks; t++)
        {
            ids.Add(await manager.SpawnAsync(owner, "emit", null, "emits", TaskParentContext.None, async context =>
            {
                await start.Task;
                for (var i = 0; i < emits; i++)
                {
                    context.Emit("step", i);
                }

                return TaskResult.Success("ok");
            }));
        }

        start.SetResult();
        foreach (var id in ids)
        {
            await manager.WaitAsync(id).Guarded();
        }
    }

    private static async Task<TaskEvent> FirstAsync(IObservable<TaskEvent> stream)
    {
        var first = new TaskCompletionSource<TaskEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = stream.Subscribe(e => first.TrySetResult(e), e => first.TrySetException(e), () => first.TrySetCanceled());
        return await first.Task.Guarded();
    }

    private static string? OwnerOf(ManagerFixture fixture, TaskEvent e) => fixture.Store.Lookup(e.TaskId)?.OwnerThreadId;
}
