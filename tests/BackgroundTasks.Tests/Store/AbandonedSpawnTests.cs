using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static BackgroundTasks.Tests.Store.DurableStoreTests;

namespace BackgroundTasks.Tests.Store;

/// <summary>
/// A task abandoned while its spawn's Running record is still being saved ends terminal: in the cache, in the
/// persistence, for its waiters, and last for every observer. The Running write must never land after the end.
/// </summary>
public sealed class AbandonedSpawnTests
{
    [Fact]
    public async Task CancelAndWait_WhileTheSpawnWriteIsHeld_EndsTerminalEverywhere_AndObserversSeeTheEndLast()
    {
        var clock = new FakeTimeProvider();
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { TimeProvider = clock });
        using var observed = StatusLog.Of(store);
        var (spawning, insert) = await SpawnWithHeldInsertAsync(manager, persistence);
        var cancelling = manager.CancelAndWaitAsync("bg_0", TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        insert.SetResult();

        Assert.Equal("bg_0", await spawning.Guarded());
        var ended = await cancelling.Guarded();
        Assert.Equal(BackgroundTaskStatus.Cancelled, ended!.Status);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await manager.WaitAsync("bg_0").Guarded()).Status);
        AssertEndsTerminal(store, persistence, observed, "bg_0");
    }

    [Fact]
    public async Task Dispose_WhileTheSpawnWriteIsHeld_EndsTerminalEverywhere_AndObserversSeeTheEndLast()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { ShutdownGrace = TimeSpan.Zero });
        using var observed = StatusLog.Of(store);
        var (spawning, insert) = await SpawnWithHeldInsertAsync(manager, persistence);
        var disposing = manager.DisposeAsync().AsTask();
        insert.SetResult();

        Assert.Equal("bg_0", await spawning.Guarded());
        await disposing.Guarded();
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await manager.WaitAsync("bg_0").Guarded()).Status);
        AssertEndsTerminal(store, persistence, observed, "bg_0");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DurableStore_ARunningRecordAndItsTerminal_BothWrittenBeforeEitherIsSaved_EndTerminal(bool endFirst)
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        using var observed = StatusLog.Of(store);
        var save = new TaskCompletionSource();
        persistence.HoldSaves(save.Task);
        var saving = persistence.NextSaveStarted();
        TaskSummary[] order = endFirst
            ? [Record("bg_0", BackgroundTaskStatus.Cancelled), Record("bg_0", BackgroundTaskStatus.Running)]
            : [Record("bg_0", BackgroundTaskStatus.Running), Record("bg_0", BackgroundTaskStatus.Cancelled)];

        var first = store.WriteAsync(order[0]).AsTask();
        await saving.Guarded();
        var second = store.WriteAsync(order[1]).AsTask();
        save.SetResult();
        await Task.WhenAll(first, second).Guarded();

        AssertEndsTerminal(store, persistence, observed, "bg_0");
    }

    [Fact]
    public async Task DurableStore_AStartQueuedAfterAnEndThatIsSavedButNotYetInTheCache_IsNotSavedOverIt()
    {
        // A queued task's start racing its abandonment: both are changes, and the end is saved first but, while the
        // store's publisher is busy, is not in the cache yet when the start is collected.
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await store.WriteAsync(Record("bg_0", BackgroundTaskStatus.Queued));
        await store.WriteAsync(Record("bg_1", BackgroundTaskStatus.Running));
        using var release = new ManualResetEventSlim();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var holder = store.Tasks.Watch("bg_1").Subscribe(change =>
        {
            if (change.Current.Description == "hold")
            {
                holding.SetResult();
                release.Wait(Hang.Guard);
            }
        });

        var held = store.WriteAsync(Record("bg_1", BackgroundTaskStatus.Running) with { Description = "hold" }).AsTask();
        await holding.Task.Guarded();
        try
        {
            var ending = store.WriteAsync(Record("bg_0", BackgroundTaskStatus.Cancelled)).AsTask();
            await persistence.WhenStored(record => record.TaskId == "bg_0" && record.Status.IsTerminal()).Guarded();
            var starting = store.WriteAsync(Record("bg_0", BackgroundTaskStatus.Running)).AsTask();

            // A new record is released by the writer's loop once saved: the start, queued before it, has been handled.
            await store.WriteAsync(Record("bg_2", BackgroundTaskStatus.Running)).AsTask().Guarded();
            release.Set();
            await Task.WhenAll(held, ending, starting).Guarded();
        }
        finally
        {
            release.Set();
        }

        Assert.Equal(BackgroundTaskStatus.Cancelled, store.Lookup("bg_0")!.Status);
        Assert.Equal(BackgroundTaskStatus.Cancelled, persistence.Stored("bg_0")!.Status);
    }

    [Fact]
    public async Task MemoryStore_ARunningRecordWrittenAfterItsTerminal_IsIgnored()
    {
        using var store = new TaskStateStore();
        using var observed = StatusLog.Of(store);

        await store.WriteAsync(Record("bg_0", BackgroundTaskStatus.Cancelled));
        await store.WriteAsync(Record("bg_0", BackgroundTaskStatus.Running));

        Assert.Equal(BackgroundTaskStatus.Cancelled, store.Lookup("bg_0")!.Status);
        Assert.Equal([BackgroundTaskStatus.Cancelled], observed.Connected);
        Assert.Equal([BackgroundTaskStatus.Cancelled], observed.Watched);
    }

    [Fact]
    public async Task Race_SpawnsWithHeldInsertsAgainstAbandonment_AlwaysEndTerminal()
    {
        for (var round = 0; round < 300; round++)
        {
            var persistence = new FakePersistence();
            await using var store = await TaskStateStore.OpenAsync(persistence);
            var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { ShutdownGrace = TimeSpan.Zero });
            using var observed = StatusLog.Of(store);
            var insert = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            persistence.HoldSaves(insert.Task);
            var saving = persistence.NextSaveStarted();
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // Every third round the abandonment races the spawn itself: a cancel-and-wait tried until it finds the task,
            // which may be between its registration and its write. In the others it races the end of the held insert,
            // by a cancel-and-wait or a disposal.
            var mode = round % 3;
            var abandonFrom = mode == 0 ? go.Task : saving;
            var spawning = Task.Run(async () =>
            {
                await go.Task;
                return await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, SpawnDisposeRace.IgnoreCancellation);
            });
            var abandoning = Task.Run(async () =>
            {
                await abandonFrom;
                if (mode < 2)
                {
                    while (await manager.CancelAndWaitAsync("bg_0", TimeSpan.Zero) is null)
                    {
                        // Not registered yet: try again soon, so as to catch it the moment it is, but let the spawn run.
                        await Task.Yield();
                    }
                }

                await manager.DisposeAsync();
            });
            var releasing = Task.Run(async () =>
            {
                await abandonFrom;
                insert.SetResult();
            });
            go.SetResult();
            Assert.Equal("bg_0", await spawning.Guarded());
            await Task.WhenAll(abandoning, releasing).Guarded();
            AssertEndsTerminal(store, persistence, observed, "bg_0");
            Assert.Equal(BackgroundTaskStatus.Cancelled, (await manager.WaitAsync("bg_0").Guarded()).Status);
        }
    }

    /// <summary>Spawns a task (that only an abandonment ends) whose Running record is being saved when this returns, until the gate opens.</summary>
    private static async Task<(Task<string> Spawning, TaskCompletionSource Insert)> SpawnWithHeldInsertAsync(
        BackgroundTaskManager manager, FakePersistence persistence)
    {
        var insert = new TaskCompletionSource();
        persistence.HoldSaves(insert.Task);
        var saving = persistence.NextSaveStarted();
        var spawning = manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, SpawnDisposeRace.IgnoreCancellation);
        await saving.Guarded();
        return (spawning, insert);
    }

    /// <summary>The record ends terminal in the cache and on disk, and nobody ever saw it non-terminal after it was terminal.</summary>
    private static void AssertEndsTerminal(TaskStateStore store, FakePersistence persistence, StatusLog observed, string taskId)
    {
        Assert.True(store.Lookup(taskId)!.Status.IsTerminal(), $"cache: {store.Lookup(taskId)!.Status}");
        Assert.True(persistence.Stored(taskId)!.Status.IsTerminal(), $"persistence: {persistence.Stored(taskId)!.Status}");
        StatusLog.AssertNeverReopened(observed.Connected);
        StatusLog.AssertNeverReopened(observed.Watched);
        Assert.True(observed.Connected[^1].IsTerminal());
    }
}
