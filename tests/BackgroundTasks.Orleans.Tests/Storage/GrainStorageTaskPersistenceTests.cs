using BackgroundTasks.Orleans.Tests.TestSupport;
using Orleans.Runtime;
using Orleans.Storage;

namespace BackgroundTasks.Orleans.Tests.Storage;

/// <summary>A thread's records in grain storage: load, atomic saves, ETags, and what a restart makes of live records.</summary>
public sealed class GrainStorageTaskPersistenceTests
{
    private const string Thread = "t1";
    private static readonly GrainId s_grain = GrainId.Create(GrainType.Create("backgroundtaskthread"), Thread);
    private readonly SharedGrainStorage _storage = new();

    [Fact]
    public async Task SaveAsync_ThenLoadAsync_GivesBackTheRecordsInFirstSavedOrder()
    {
        await using (var persistence = New())
        {
            await persistence.LoadAsync();
            await persistence.SaveAsync([Record("bg_0"), Record("bg_1")]);
            await persistence.SaveAsync([Record("bg_0") with { Status = BackgroundTaskStatus.Completed }]);
        }

        var loaded = await New().LoadAsync();

        Assert.Equal(["bg_0", "bg_1"], loaded.Select(r => r.TaskId));
        Assert.Equal(BackgroundTaskStatus.Completed, loaded[0].Status);
    }

    [Fact]
    public async Task OpenAsync_OverStoredLiveRecords_OrphansRunningAndQueuedOnes()
    {
        var first = New();
        await first.LoadAsync();
        await first.SaveAsync([Record("bg_0"), Record("bg_1") with { Status = BackgroundTaskStatus.Queued }, Record("bg_2") with { Status = BackgroundTaskStatus.Completed }]);

        await using var store = await TaskStateStore.OpenAsync(New());

        Assert.Equal(["bg_0", "bg_1"], store.OrphanedOnOpen.Select(r => r.TaskId));
        Assert.All(_storage.Records(Thread).Take(2), r => Assert.Equal(BackgroundTaskManager.OrphanedTaskError, r.Error));
        Assert.Equal(BackgroundTaskStatus.Completed, _storage.Records(Thread)[2].Status);
    }

    [Fact]
    public async Task SaveAsync_AfterAnotherWriterMovedTheETag_FailsAndKeepsNothing()
    {
        var stale = New();
        await stale.LoadAsync();
        var current = New();
        await current.LoadAsync();
        await current.SaveAsync([Record("bg_0")]);

        var error = await Assert.ThrowsAsync<IOException>(() => stale.SaveAsync([Record("bg_9")]));

        Assert.IsType<InconsistentStateException>(error.InnerException);
        Assert.Equal(["bg_0"], _storage.Records(Thread).Select(r => r.TaskId));
    }

    [Fact]
    public async Task SaveAsync_WriteFailsOnce_RetryStoresTheBatchAsOneSaveWould()
    {
        var failing = new FailingOnceGrainStorage(_storage);
        var persistence = New(failing);
        await persistence.LoadAsync();
        await persistence.SaveAsync([Record("bg_0"), Record("bg_1")]);
        TaskSummary[] batch = [Record("bg_0") with { Status = BackgroundTaskStatus.Completed }, Record("bg_2"), Record("bg_0") with { Status = BackgroundTaskStatus.Cancelled }];
        failing.FailNextWrite();

        var error = await Assert.ThrowsAsync<IOException>(() => persistence.SaveAsync(batch));
        await persistence.SaveAsync(batch);

        Assert.Equal(OrleansMessages.StorageWriteFailed(Thread, FailingOnceGrainStorage.FailureMessage), error.Message);
        Assert.Equal(
            [("bg_0", BackgroundTaskStatus.Cancelled), ("bg_1", BackgroundTaskStatus.Running), ("bg_2", BackgroundTaskStatus.Running)],
            _storage.Records(Thread).Select(r => (r.TaskId, r.Status)));
    }

    [Fact]
    public async Task SaveAsync_AfterAFailedWrite_StoresOnlyWhatLaterSavesHold()
    {
        var failing = new FailingOnceGrainStorage(_storage);
        var persistence = New(failing);
        await persistence.LoadAsync();
        await persistence.SaveAsync([Record("bg_0"), Record("bg_1")]);
        failing.FailNextWrite();
        await Assert.ThrowsAsync<IOException>(() => persistence.SaveAsync([Record("bg_0") with { Status = BackgroundTaskStatus.Completed }, Record("bg_2")]));

        // The failed write scribbled over the ETag: these saves succeed only if the one read back was restored.
        await persistence.SaveAsync([Record("bg_1") with { Status = BackgroundTaskStatus.Completed }]);
        await persistence.SaveAsync([Record("bg_3")]);

        Assert.Equal(
            [("bg_0", BackgroundTaskStatus.Running), ("bg_1", BackgroundTaskStatus.Completed), ("bg_3", BackgroundTaskStatus.Running)],
            _storage.Records(Thread).Select(r => (r.TaskId, r.Status)));
        Assert.Equal(["bg_0", "bg_1", "bg_3"], (await New().LoadAsync()).Select(r => r.TaskId));
    }

    [Fact]
    public async Task SaveAsync_Fenced_RefusesEveryWrite()
    {
        var persistence = New();
        await persistence.LoadAsync();

        persistence.Fence();

        var error = await Assert.ThrowsAsync<IOException>(() => persistence.SaveAsync([Record("bg_0")]));
        Assert.Equal(OrleansMessages.Fenced(Thread), error.Message);
        Assert.Empty(_storage.Records(Thread));
    }

    private GrainStorageTaskPersistence New(IGrainStorage? storage = null) => new(storage ?? _storage, s_grain, Thread);

    private static TaskSummary Record(string id) =>
        new() { TaskId = id, OwnerThreadId = Thread, TaskType = "x", Description = "d", Status = BackgroundTaskStatus.Running };
}
