using System.Reactive.Linq;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.Tests.Store;

public sealed class DurableStoreTests
{
    private static readonly DateTimeOffset s_now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OpenAsync_LoadsEveryRecordIntoTheCacheAndTheIndexes()
    {
        var done = Record("bg_2", BackgroundTaskStatus.Completed, owner: "t1", parentTaskId: "bg_1");
        var other = Record("bg_5", BackgroundTaskStatus.Failed, owner: "t2", runId: "run-1");
        await using var store = await TaskStateStore.OpenAsync(new FakePersistence(done, other));
        await using var manager = new BackgroundTaskManager(store);

        Assert.Equal(2, store.Tasks.Count);
        Assert.Same(done, store.Lookup("bg_2"));
        Assert.Equal(["bg_2"], (await manager.ListAsync("t1")).Select(s => s.TaskId));
        Assert.Equal(["bg_5"], (await manager.ListAsync("t2")).Select(s => s.TaskId));
        Assert.Equal(["bg_2"], store.Index.ChildrenOf("bg_1"));
        Assert.Equal(["bg_5"], store.Index.RootsOfRun("run-1"));
    }

    [Fact]
    public async Task OpenAsync_RunningRecords_BecomeOrphans_SavedBeforeItReturns()
    {
        var clock = new FakeTimeProvider(s_now);
        var persistence = new FakePersistence(Record("bg_0", BackgroundTaskStatus.Running), Record("bg_1", BackgroundTaskStatus.Completed));

        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions { TimeProvider = clock });

        var orphan = store.Lookup("bg_0")!;
        Assert.Equal(BackgroundTaskStatus.Failed, orphan.Status);
        Assert.Equal("task orphaned: runtime restarted while running", orphan.Error);
        Assert.Equal(s_now, orphan.CompletedAt);
        Assert.Equal(orphan, persistence.Stored("bg_0"));
        Assert.Equal(["bg_0"], Assert.Single(persistence.Saves).Select(s => s.TaskId));
        Assert.Equal(BackgroundTaskStatus.Completed, store.Lookup("bg_1")!.Status);
    }

    [Fact]
    public async Task SetStore_MovesTheIdCounterPastEveryLoadedId()
    {
        var persistence = new FakePersistence(
            Record("bg_3", BackgroundTaskStatus.Completed), Record("bg_17", BackgroundTaskStatus.Running), Record("custom", BackgroundTaskStatus.Failed));
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store);

        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));

        Assert.Equal("bg_18", id);
    }

    [Fact]
    public async Task SpawnAsync_ReturnsOnlyOnceTheRunningRecordIsSaved()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store);
        var gate = new TaskCompletionSource();
        persistence.HoldSaves(gate.Task);

        var spawn = manager.SpawnAsync("t1", "x", "n", "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        await persistence.FirstSaveStarted.Guarded();

        Assert.False(spawn.IsCompleted);
        Assert.Null(store.Lookup("bg_0"));
        gate.SetResult();
        var id = await spawn.Guarded();

        var saved = persistence.Saves[0].Single();
        Assert.Equal((id, BackgroundTaskStatus.Running, "n"), (saved.TaskId, saved.Status, saved.Name));
    }

    [Fact]
    public async Task TerminalRecord_IsSavedBeforeItsTerminalEventIsSent()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store);
        var seenAtEvent = new TaskCompletionSource<TaskSummary?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = manager.Events.OfType<TaskEvent.Completed>().Subscribe(e => seenAtEvent.TrySetResult(persistence.Stored(e.TaskId)));

        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(42)));

        var stored = await seenAtEvent.Task.Guarded();
        Assert.Equal(BackgroundTaskStatus.Completed, stored!.Status);
        Assert.Equal(42, stored.Result!.Value.GetInt32());
        Assert.Equal(id, stored.TaskId);
    }

    [Fact]
    public async Task ConcurrentWrites_ShareOneSave_WhileAnotherSaveIsInFlight()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store);
        var (first, queued) = await StoreScenarios.SpawnBehindAHeldSaveAsync(manager, persistence, 50);
        await first.Guarded();
        await Task.WhenAll(queued).Guarded();

        // One save for the spawn in flight, then one transaction for all fifty that queued behind it.
        Assert.Equal([1, 50], persistence.Saves.Select(batch => batch.Count));
    }

    [Fact]
    public async Task RestoreForThreadAsync_OnADurableStore_SavesTheRestoredRecords()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store);
        var snapshot = new BackgroundTaskStateSnapshot(new Dictionary<string, TaskSummary>
        {
            ["bg_4"] = Record("bg_4", BackgroundTaskStatus.Completed, owner: "old"),
            ["bg_6"] = Record("bg_6", BackgroundTaskStatus.Running, owner: "old"),
        });

        await manager.RestoreForThreadAsync("t9", snapshot);

        Assert.Equal("t9", persistence.Stored("bg_4")!.OwnerThreadId);
        Assert.Equal("task orphaned: runtime restarted while running", persistence.Stored("bg_6")!.Error);
    }

    [Fact]
    public async Task DisposeAsync_DisposesThePersistence_Once()
    {
        var persistence = new FakePersistence();
        var store = await TaskStateStore.OpenAsync(persistence);

        await store.DisposeAsync();
        await store.DisposeAsync();
        store.Dispose();

        Assert.Equal(1, persistence.Disposals);
        Assert.True(store.IsDisposed);
    }

    [Fact]
    public async Task Dispose_OnADurableStore_FlushesAndDisposesThePersistence()
    {
        var persistence = new FakePersistence();
        var store = await TaskStateStore.OpenAsync(persistence);
        var completed = false;
        using var subscription = store.PersistenceFaults.Subscribe(_ => { }, () => completed = true);

        store.Dispose();

        Assert.Equal(1, persistence.Disposals);
        Assert.True(completed);
    }

    [Fact]
    public async Task OpenAsync_WhenLoadingFails_DisposesThePersistenceAndThrows()
    {
        var persistence = new FakePersistence(Record("bg_0", BackgroundTaskStatus.Running)) { Failure = new IOException("disk gone") };

        var error = await Assert.ThrowsAsync<IOException>(() => TaskStateStore.OpenAsync(persistence));

        Assert.Equal("disk gone", error.Message);
        Assert.Equal(1, persistence.Disposals);
    }

    [Fact]
    public async Task OpenAsync_DuplicateOrNullRecords_AreErrorsNamingTheProblem()
    {
        var duplicate = new DuplicatingPersistence([Record("bg_1", BackgroundTaskStatus.Completed), Record("bg_1", BackgroundTaskStatus.Failed)]);
        var withNull = new DuplicatingPersistence([Record("bg_1", BackgroundTaskStatus.Completed), null!]);

        var first = await Assert.ThrowsAsync<InvalidDataException>(() => TaskStateStore.OpenAsync(duplicate));
        var second = await Assert.ThrowsAsync<InvalidDataException>(() => TaskStateStore.OpenAsync(withNull));

        Assert.Equal("The persistence returned task 'bg_1' more than once.", first.Message);
        Assert.Equal("The persistence returned no record (null) at position 1 of its load.", second.Message);
    }

    [Fact]
    public async Task OpenAsync_ChecksItsArguments()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => TaskStateStore.OpenAsync(null!));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => TaskStateStore.OpenAsync(new FakePersistence(), new TaskStateStoreOptions { RetryDelay = TimeSpan.Zero }));
        await Assert.ThrowsAsync<OperationCanceledException>(
            () => TaskStateStore.OpenAsync(new FakePersistence(), new CancellationToken(canceled: true)));
    }

    /// <summary>A body that runs until the manager cancels it, so disposing the manager ends it.</summary>
    internal static async Task<TaskResult> WaitForCancellation(TaskContext context)
    {
        await context.WhenCancelled();
        return TaskResult.Cancelled;
    }

    internal static TaskSummary Record(string taskId, BackgroundTaskStatus status, string owner = "t1",
        string? parentTaskId = null, string? runId = null, DateTimeOffset? completedAt = null) => new()
    {
        TaskId = taskId,
        OwnerThreadId = owner,
        TaskType = "shell",
        Description = "d",
        Status = status,
        Error = status == BackgroundTaskStatus.Failed ? "boom" : null,
        CreatedAt = s_now.AddMinutes(-10),
        CompletedAt = status.IsTerminal() ? completedAt ?? s_now.AddMinutes(-5) : null,
        ParentContext = parentTaskId is null && runId is null ? TaskParentContext.None : new TaskParentContext { TaskId = parentTaskId, RunId = runId },
    };

    /// <summary>Loads exactly what it is given, duplicates and nulls included.</summary>
    private sealed class DuplicatingPersistence(IReadOnlyList<TaskSummary> loaded) : ITaskStatePersistence
    {
        public Task<IReadOnlyList<TaskSummary>> LoadAsync(CancellationToken cancellationToken = default) => Task.FromResult(loaded);

        public Task SaveAsync(IReadOnlyList<TaskSummary> changed, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
