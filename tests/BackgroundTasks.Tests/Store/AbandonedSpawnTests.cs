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
        var insert = new TaskCompletionSource();
        persistence.HoldSaves(insert.Task);
        var saving = persistence.NextSaveStarted();

        var spawning = manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, IgnoreCancellation);
        await saving.Guarded();
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
        var insert = new TaskCompletionSource();
        persistence.HoldSaves(insert.Task);
        var saving = persistence.NextSaveStarted();

        var spawning = manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, IgnoreCancellation);
        await saving.Guarded();
        var disposing = manager.DisposeAsync().AsTask();
        insert.SetResult();

        Assert.Equal("bg_0", await spawning.Guarded());
        await disposing.Guarded();
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await manager.WaitAsync("bg_0").Guarded()).Status);
        AssertEndsTerminal(store, persistence, observed, "bg_0");
    }

    [Fact]
    public async Task DurableStore_ATerminalWrittenBeforeItsRunningRecord_StaysTerminal_InCacheAndPersistence()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        using var observed = StatusLog.Of(store);
        var save = new TaskCompletionSource();
        persistence.HoldSaves(save.Task);
        var saving = persistence.NextSaveStarted();

        var ending = store.WriteAsync(Record("bg_0", BackgroundTaskStatus.Cancelled)).AsTask();
        await saving.Guarded();
        var starting = store.WriteAsync(Record("bg_0", BackgroundTaskStatus.Running)).AsTask();
        save.SetResult();
        await Task.WhenAll(ending, starting).Guarded();

        AssertEndsTerminal(store, persistence, observed, "bg_0");
    }

    [Fact]
    public async Task DurableStore_ARunningRecordStillSavingWhenItsTerminalIsWritten_EndsTerminal()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        using var observed = StatusLog.Of(store);
        var save = new TaskCompletionSource();
        persistence.HoldSaves(save.Task);
        var saving = persistence.NextSaveStarted();

        var starting = store.WriteAsync(Record("bg_0", BackgroundTaskStatus.Running)).AsTask();
        await saving.Guarded();
        var ending = store.WriteAsync(Record("bg_0", BackgroundTaskStatus.Cancelled)).AsTask();
        save.SetResult();
        await Task.WhenAll(starting, ending).Guarded();

        AssertEndsTerminal(store, persistence, observed, "bg_0");
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
        for (var round = 0; round < 200; round++)
        {
            var persistence = new FakePersistence();
            await using var store = await TaskStateStore.OpenAsync(persistence);
            var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { ShutdownGrace = TimeSpan.Zero });
            using var observed = StatusLog.Of(store);
            var insert = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            persistence.HoldSaves(insert.Task);
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // The spawn, the abandonment and the end of the held insert all start together, so every order happens.
            var spawning = Task.Run(async () =>
            {
                await go.Task;
                return await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, IgnoreCancellation);
            });
            var disposing = Task.Run(async () =>
            {
                await go.Task;
                await manager.DisposeAsync();
            });
            var releasing = Task.Run(async () =>
            {
                await go.Task;
                insert.SetResult();
            });
            go.SetResult();
            await Task.WhenAll(disposing, releasing).Guarded();
            try
            {
                await spawning.Guarded();
            }
            catch (ObjectDisposedException)
            {
                // The disposal came first: nothing was spawned, so there is nothing to check.
                Assert.Null(store.Lookup("bg_0"));
                continue;
            }

            AssertEndsTerminal(store, persistence, observed, "bg_0");
            Assert.Equal(BackgroundTaskStatus.Cancelled, (await manager.WaitAsync("bg_0").Guarded()).Status);
        }
    }

    private static async Task<TaskResult> IgnoreCancellation(TaskContext context)
    {
        await Task.Delay(Timeout.Infinite, CancellationToken.None);
        return TaskResult.Success("never");
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
