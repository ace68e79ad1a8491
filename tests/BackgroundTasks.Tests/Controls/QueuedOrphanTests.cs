using BackgroundTasks.Tests.Store;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.Tests.Controls;

public sealed class QueuedOrphanTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OpenAsync_AQueuedRecord_BecomesAnOrphan_LikeARunningOne()
    {
        var persistence = new FakePersistence(Queued("bg_0"));

        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions { TimeProvider = new FakeTimeProvider(s_now) });

        var orphan = store.Lookup("bg_0")!;
        Assert.Equal(BackgroundTaskStatus.Failed, orphan.Status);
        Assert.Equal(BackgroundTaskManager.OrphanedTaskError, orphan.Error);
        Assert.Equal(s_now, orphan.CompletedAt);
        Assert.Null(orphan.StartedAt);
        Assert.Equal(orphan, persistence.Stored("bg_0"));
        Assert.Equal(["bg_0"], store.OrphanedOnOpen.Select(s => s.TaskId));
    }

    [Fact]
    public async Task RestoreForThreadAsync_AQueuedRecordWithoutABody_BecomesAnOrphan_LoggedAsOne()
    {
        var logger = new FakeLogger();
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { TimeProvider = new FakeTimeProvider(s_now), Logger = logger });
        var snapshot = new BackgroundTaskStateSnapshot(new Dictionary<string, TaskSummary> { ["bg_4"] = Queued("bg_4") });

        await fixture.Manager.RestoreForThreadAsync("t1", snapshot);

        var orphan = fixture.Store.Lookup("bg_4")!;
        Assert.Equal(BackgroundTaskStatus.Failed, orphan.Status);
        Assert.Equal(BackgroundTaskManager.OrphanedTaskError, orphan.Error);
        Assert.False(await fixture.Manager.HasRunningAsync("t1"));
        Assert.Contains("bg_4", Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Name == "TaskOrphaned").Message, StringComparison.Ordinal);
    }

    private static TaskSummary Queued(string taskId) => new()
    {
        TaskId = taskId,
        OwnerThreadId = "t1",
        TaskType = "x",
        Description = "was waiting for a run slot",
        Status = BackgroundTaskStatus.Queued,
        CreatedAt = s_now - TimeSpan.FromMinutes(5),
    };
}
