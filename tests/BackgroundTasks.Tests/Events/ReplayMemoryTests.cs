using BackgroundTasks.Tests.Reactive;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace BackgroundTasks.Tests.Events;

/// <summary>The replay buffers are bounded: by the capacity per thread, and to nothing for a thread whose records are all gone.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class ReplayMemoryTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset s_now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Retention_RemovingAThreadsLastRecord_DropsItsReplayBuffer()
    {
        var clock = new FakeTimeProvider(s_now);
        using var store = RetainingStore(clock);
        await using var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { TimeProvider = clock });
        await ObserveEventsTests.RunEmittingAsync(manager, "a", tasks: 2, emits: 1);
        await ObserveEventsTests.RunEmittingAsync(manager, "b", tasks: 1, emits: 1);
        Assert.Equal(2, manager.EventLogs.Count);

        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(3, await store.PruneAsync());

        Assert.Equal(0, manager.EventLogs.Count);
        var expired = await Assert.ThrowsAsync<EventsExpiredException>(() => ErrorOfAsync(manager.ObserveEvents("a", 1)));
        Assert.Equal(0, expired.OldestRetained);
    }

    [Fact]
    public async Task Retention_AThreadWithAnObserver_KeepsItsLogUntilTheObserverLeaves()
    {
        var clock = new FakeTimeProvider(s_now);
        using var store = RetainingStore(clock);
        await using var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { TimeProvider = clock });
        var observer = new TestObserver<TaskEvent>();
        var subscription = manager.ObserveEvents("a").Subscribe(observer);
        await ObserveEventsTests.RunEmittingAsync(manager, "a", tasks: 1, emits: 1);

        clock.Advance(TimeSpan.FromHours(2));
        await store.PruneAsync();

        // The live observer still gets the thread's next events, numbered on.
        Assert.Equal(1, manager.EventLogs.Count);
        await ObserveEventsTests.RunEmittingAsync(manager, "a", tasks: 1, emits: 0);
        Assert.Equal([1L, 2, 3], observer.Values.Select(e => e.Sequence));

        clock.Advance(TimeSpan.FromHours(2));
        await store.PruneAsync();
        subscription.Dispose();
        Assert.Equal(0, manager.EventLogs.Count);
    }

    [Fact]
    public async Task ObserveEvents_OnAThreadWithNoRecords_LeavesNothingBehindOnceDisposed()
    {
        await using var fixture = new ManagerFixture();

        fixture.Manager.ObserveEvents("never-spawned").Subscribe(_ => { }).Dispose();

        Assert.Equal(0, fixture.Manager.EventLogs.Count);
    }

    [Fact]
    public async Task Memory_RetainedEvents_CostAFewDozenBytesEach_AndTheCapacityBoundsThem()
    {
        const int Events = 20_000;
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { EventReplayCapacityPerOwner = Events });
        await ObserveEventsTests.RunEmittingAsync(fixture.Manager, "t1", tasks: 1, emits: 0);   // the log and its first slots exist

        var payload = ManagerFixture.Json("1");
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await EmitAsync(fixture.Manager, "t1", Events, payload);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perEvent = (after - before) / (double)Events;
        output.WriteLine($"{perEvent:F1} bytes per retained custom event (event object and its ring slot)");

        // The record of a custom event is 48 bytes and its slot 8; growth by doubling adds at most one more slot. The
        // margin is for what the rest of the process allocates meanwhile (the heap is the whole process's).
        Assert.InRange(perEvent, 40, 160);

        // At capacity, more events replace the oldest: no growth.
        await EmitAsync(fixture.Manager, "t1", Events, payload);
        var full = GC.GetTotalMemory(forceFullCollection: true);
        Assert.InRange(full - after, -Events * 8L, Events * 8L);
    }

    [Fact]
    public async Task Memory_OneHundredThousandThreads_WithRetention_StayBounded()
    {
        // Two bursts of 50,000 threads each, every thread with one task and two events (one custom, one terminal),
        // and retention removing them all after each burst. The first burst grows the store's and the manager's
        // dictionaries (which keep their capacity); the second must leave nothing more behind.
        const int Burst = 50_000;
        var clock = new FakeTimeProvider(s_now);
        using var store = RetainingStore(clock);
        await using var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { TimeProvider = clock });
        await RunBurstAsync(manager, store, clock, "first", Burst);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var peak = await RunBurstAsync(manager, store, clock, "second", Burst);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{2 * Burst} threads in two bursts: {(peak - before) / Burst} bytes per thread while it has its record and events; "
            + $"{after - before} bytes more after the second burst than before it, once retention removed its records");

        Assert.Equal(0, manager.EventLogs.Count);
        // A leaked log would be hundreds of bytes per thread; a few bytes per thread are the heap's noise.
        Assert.InRange(after - before, long.MinValue, Burst * 32L);
    }

    /// <summary>Runs one task on each of <paramref name="threads"/> new threads, measures the heap, then prunes them all.</summary>
    private static async Task<long> RunBurstAsync(BackgroundTaskManager manager, TaskStateStore store, FakeTimeProvider clock, string prefix, int threads)
    {
        var ids = new string[threads];
        for (var i = 0; i < threads; i++)
        {
            ids[i] = await manager.SpawnAsync($"{prefix}-{i}", "x", null, "d", TaskParentContext.None, static context =>
            {
                context.Emit("step", 1);
                return Task.FromResult(TaskResult.Success(1));
            });
        }

        foreach (var id in ids)
        {
            await manager.WaitAsync(id).Guarded();
        }

        Assert.Equal(threads, manager.EventLogs.Count);
        var peak = GC.GetTotalMemory(forceFullCollection: true);
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(threads, await store.PruneAsync());
        return peak;
    }

    private static TaskStateStore RetainingStore(TimeProvider clock) => new(new TaskStateStoreOptions
    {
        TimeProvider = clock,
        RetainTerminalFor = TimeSpan.FromHours(1),
        PruneInterval = Timeout.InfiniteTimeSpan,
    });

    private static async Task EmitAsync(BackgroundTaskManager manager, string owner, int count, System.Text.Json.JsonElement payload)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await manager.SpawnAsync(owner, "emit", null, "emits", TaskParentContext.None, async context =>
        {
            for (var i = 0; i < count; i++)
            {
                context.Emit("step", payload);
            }

            await gate.Task;
            return TaskResult.Success(1);
        });

        // The task stays live until measured, so only its events count; then it ends (one more event).
        while (manager.EventLogs.Count == 0)
        {
            await Task.Yield();
        }

        gate.SetResult();
        await manager.WaitAsync(id).Guarded();
    }

    private static async Task<Exception> ErrorOfAsync(IObservable<TaskEvent> stream)
    {
        var error = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = stream.Subscribe(_ => { }, e => error.TrySetResult(e), () => { });
        throw await error.Task.Guarded();
    }
}
