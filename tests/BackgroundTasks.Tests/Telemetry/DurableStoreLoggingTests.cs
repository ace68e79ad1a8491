using BackgroundTasks.Tests.Store;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace BackgroundTasks.Tests.Telemetry;

public sealed class DurableStoreLoggingTests
{
    private static readonly DateTimeOffset s_created = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task BindingAnOpenedStore_LogsEachOrphanItFound()
    {
        var logger = new FakeLogger();
        var persistence = new FakePersistence(
            new TaskSummary { TaskId = "bg_3", OwnerThreadId = "t1", TaskType = "fetch", Description = "was running", CreatedAt = s_created });
        await using var store = await TaskStateStore.OpenAsync(persistence);

        await using var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { Logger = logger });

        var orphan = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Name == "TaskOrphaned");
        Assert.Equal(LogLevel.Warning, orphan.Level);
        Assert.Contains("bg_3", orphan.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedBackgroundSave_IsLoggedAsAPersistenceFault()
    {
        var logger = new FakeLogger();
        var logged = new TaskCompletionSource<FakeLogRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { Logger = logger });
        using var faults = store.PersistenceFaults.Subscribe(_ =>
        {
            // The manager subscribed first, so by now its log line is written.
            logged.TrySetResult(Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Name == "PersistenceFault"));
        });
        var gate = new TaskCompletionSource();
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            return TaskResult.Success(1);
        });

        persistence.Failure = new IOException("disk full");
        gate.SetResult();
        var record = await logged.Task.Guarded();

        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Contains(id, record.Message, StringComparison.Ordinal);
        persistence.Failure = null;
    }

    [Fact]
    public async Task OrphanedOnOpen_ListsOnlyTheRecordsThisOpenFoundRunning()
    {
        var earlierOrphan = new TaskSummary
        {
            TaskId = "bg_1", OwnerThreadId = "t1", TaskType = "fetch", Description = "orphaned last time", CreatedAt = s_created,
            Status = BackgroundTaskStatus.Failed, Error = BackgroundTaskManager.OrphanedTaskError, CompletedAt = s_created,
        };
        var running = new TaskSummary { TaskId = "bg_2", OwnerThreadId = "t1", TaskType = "fetch", Description = "running", CreatedAt = s_created };

        await using var store = await TaskStateStore.OpenAsync(new FakePersistence(earlierOrphan, running));

        var orphan = Assert.Single(store.OrphanedOnOpen);
        Assert.Equal("bg_2", orphan.TaskId);
        Assert.Equal(BackgroundTaskStatus.Failed, orphan.Status);
        Assert.Empty(new TaskStateStore().OrphanedOnOpen);
    }
}
