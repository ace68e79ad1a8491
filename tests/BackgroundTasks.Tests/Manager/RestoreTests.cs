using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.Tests.Manager;

public sealed class RestoreTests
{
    private static readonly DateTimeOffset s_created = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RestoreForThreadAsync_AddsMissingTasks_OwnedByTheGivenThread()
    {
        await using var fixture = new ManagerFixture();
        var snapshot = Snapshot(Record("bg_3", BackgroundTaskStatus.Completed, owner: "old-thread"));

        await fixture.Manager.RestoreForThreadAsync("t1", snapshot);

        var restored = fixture.Store.Lookup("bg_3")!;
        Assert.Equal("t1", restored.OwnerThreadId);
        Assert.Equal(BackgroundTaskStatus.Completed, restored.Status);
        Assert.Equal("bg_3", Assert.Single(await fixture.Manager.ListAsync("t1")).TaskId);
    }

    [Fact]
    public async Task RestoreForThreadAsync_MovesTheIdCounterPastRestoredIds()
    {
        await using var fixture = new ManagerFixture();
        await fixture.Manager.RestoreForThreadAsync("t1", Snapshot(
            Record("bg_7", BackgroundTaskStatus.Completed), Record("bg_41", BackgroundTaskStatus.Failed), Record("custom", BackgroundTaskStatus.Completed)));

        Assert.Equal("bg_42", await fixture.SpawnWaitingAsync());
    }

    [Fact]
    public async Task RestoreForThreadAsync_RunningWithoutBody_BecomesFailedOrphan()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { TimeProvider = clock });

        await fixture.Manager.RestoreForThreadAsync("t1", Snapshot(Record("bg_0", BackgroundTaskStatus.Running)));

        var orphan = fixture.Store.Lookup("bg_0")!;
        Assert.Equal(BackgroundTaskStatus.Failed, orphan.Status);
        Assert.Equal("task orphaned: runtime restarted while running", orphan.Error);
        Assert.Equal(clock.GetUtcNow(), orphan.CompletedAt);
        Assert.False(await fixture.Manager.HasRunningAsync("t1"));
    }

    [Fact]
    public async Task RestoreForThreadAsync_LeavesTasksAlreadyInTheStoreAlone()
    {
        await using var fixture = new ManagerFixture();
        var live = await fixture.SpawnWaitingAsync(name: "live");
        var snapshot = Snapshot(Record(live, BackgroundTaskStatus.Failed, owner: "other"), Record("bg_9", BackgroundTaskStatus.Completed));

        await fixture.Manager.RestoreForThreadAsync("t2", snapshot);

        var untouched = fixture.Store.Lookup(live)!;
        Assert.Equal(BackgroundTaskStatus.Running, untouched.Status);
        Assert.Equal("t1", untouched.OwnerThreadId);
        Assert.True(await fixture.Manager.CancelAsync(live));
        Assert.NotNull(fixture.Store.Lookup("bg_9"));
    }

    [Fact]
    public async Task RestoreForThreadAsync_RoundTripsThroughJson_KeepingLineageAndResults()
    {
        BackgroundTaskStateSnapshot persisted;
        await using (var before = new ManagerFixture())
        {
            var done = await before.Manager.SpawnAsync("t1", "calc", "calc", "adds", new TaskParentContext { RunId = "run-1" },
                _ => Task.FromResult(TaskResult.Success(new { sum = 5 })));
            await before.Manager.WaitAsync(done).Guarded();
            await before.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = done });
            persisted = BackgroundTaskStateSnapshot.FromJson(before.Store.Snapshot().ToJson());
        }

        await using var after = new ManagerFixture();
        await after.Manager.RestoreForThreadAsync("t1", persisted);

        var calc = after.Store.Lookup("bg_0")!;
        Assert.Equal(5, calc.Result!.Value.GetProperty("sum").GetInt32());
        Assert.Equal("run-1", calc.ParentContext.RunId);
        var child = after.Store.Lookup("bg_1")!;
        Assert.Equal("bg_0", child.ParentContext.TaskId);
        Assert.Equal(BackgroundTaskStatus.Failed, child.Status);
        Assert.Equal("bg_2", await after.SpawnWaitingAsync());
    }

    [Fact]
    public async Task RestoreForThreadAsync_EmitsOneChangeSetForTheWholeSnapshot()
    {
        await using var fixture = new ManagerFixture();
        var changeSets = new List<int>();
        using var subscription = fixture.Manager.Connect().Subscribe(changes => changeSets.Add(changes.Count));

        await fixture.Manager.RestoreForThreadAsync("t1", Snapshot(
            Record("bg_0", BackgroundTaskStatus.Completed), Record("bg_1", BackgroundTaskStatus.Running), Record("bg_2", BackgroundTaskStatus.Cancelled)));

        Assert.Equal([3], changeSets);
    }

    [Fact]
    public async Task RestoreForThreadAsync_WithoutStore_FailsWithStoreNotConfigured()
    {
        await using var manager = new BackgroundTaskManager();
        var error = await Assert.ThrowsAsync<SpawnException>(() => manager.RestoreForThreadAsync("t1", BackgroundTaskStateSnapshot.Empty));
        Assert.Equal(SpawnError.StoreNotConfigured, error.Error);
    }

    private static BackgroundTaskStateSnapshot Snapshot(params TaskSummary[] tasks) =>
        new(tasks.ToDictionary(t => t.TaskId));

    private static TaskSummary Record(string id, BackgroundTaskStatus status, string owner = "t1") => new()
    {
        TaskId = id,
        OwnerThreadId = owner,
        TaskType = "fetch",
        Description = "restored",
        Status = status,
        CreatedAt = s_created,
        CompletedAt = status.IsTerminal() ? s_created.AddMinutes(1) : null,
    };
}
