using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace BackgroundTasks.Tests.Telemetry;

public sealed class TaskLoggingTests
{
    private readonly FakeLogger _logger = new();

    [Fact]
    public async Task SpawnEndAndCancel_AreLoggedAtTheirLevels()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { Logger = _logger });
        var completed = await fixture.Manager.SpawnAsync("t1", "fetch", "fetcher", "works", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Success(1)));
        var failed = await fixture.Manager.SpawnAsync("t1", "fetch", null, "fails", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Failed("upstream returned 503")));
        var cancelled = await fixture.SpawnWaitingAsync();
        await fixture.Manager.CancelTreeAsync(cancelled);
        foreach (var id in new[] { completed, failed, cancelled })
        {
            await fixture.Manager.WaitAsync(id).Guarded();
        }

        var records = _logger.Collector.GetSnapshot();
        Assert.Equal(3, records.Count(r => r.Id.Name == "TaskSpawned" && r.Level == LogLevel.Debug));
        var spawned = Assert.Single(records, r => r.Id.Name == "TaskSpawned" && r.Message.Contains(completed, StringComparison.Ordinal));
        Assert.Contains("fetcher", spawned.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Debug, Assert.Single(records, r => r.Id.Name == "TaskCompleted").Level);
        var failure = Assert.Single(records, r => r.Id.Name == "TaskFailed");
        Assert.Equal(LogLevel.Warning, failure.Level);
        Assert.Contains("upstream returned 503", failure.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Information, Assert.Single(records, r => r.Id.Name == "TaskCancelled").Level);
        var request = Assert.Single(records, r => r.Id.Name == "CancellationRequested");
        Assert.Equal(LogLevel.Information, request.Level);
        Assert.Contains(cancelled, request.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_LogsTheCountAndEachOrphan()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { Logger = _logger });
        var created = DateTimeOffset.FromUnixTimeMilliseconds(1_000);
        var snapshot = new BackgroundTaskStateSnapshot(new Dictionary<string, TaskSummary>
        {
            ["bg_7"] = new() { TaskId = "bg_7", OwnerThreadId = "old", TaskType = "fetch", Description = "was running", CreatedAt = created },
            ["bg_8"] = new()
            {
                TaskId = "bg_8", OwnerThreadId = "old", TaskType = "fetch", Description = "had finished",
                Status = BackgroundTaskStatus.Completed, CreatedAt = created, CompletedAt = created,
            },
        });

        await fixture.Manager.RestoreForThreadAsync("t1", snapshot);

        var records = _logger.Collector.GetSnapshot();
        var restored = Assert.Single(records, r => r.Id.Name == "TasksRestored");
        Assert.Equal(LogLevel.Information, restored.Level);
        Assert.Equal("Restored 2 task(s) for thread t1; 1 of them orphaned.", restored.Message);
        var orphan = Assert.Single(records, r => r.Id.Name == "TaskOrphaned");
        Assert.Equal(LogLevel.Warning, orphan.Level);
        Assert.Contains("bg_7", orphan.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrowingEventObserver_IsLoggedAsADeliveryFault()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { Logger = _logger });
        using var subscription = fixture.Manager.Events.Subscribe(_ => throw new InvalidOperationException("observer broke"));

        var id = await fixture.Manager.SpawnAsync("t1", "fetch", null, "ends", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Success(1)));
        await fixture.Manager.WaitAsync(id).Guarded();

        var fault = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Name == "DeliveryFault");
        Assert.Equal(LogLevel.Warning, fault.Level);
        Assert.Equal("observer broke", fault.Exception?.Message);
        Assert.Contains(id, fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedStoreWrite_IsLoggedAsAPersistenceFault()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { Logger = _logger });
        fixture.Store.Dispose();

        await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnWaitingAsync());

        var fault = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Name == "PersistenceFault");
        Assert.Equal(LogLevel.Error, fault.Level);
        Assert.IsType<ObjectDisposedException>(fault.Exception);
    }
}
