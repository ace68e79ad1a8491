using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static BackgroundTasks.Tests.Store.DurableStoreTests;

namespace BackgroundTasks.Tests.Store;

public sealed class DurableStoreFaultTests
{
    private static readonly DateTimeOffset s_now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SpawnAsync_WhenTheSaveFails_FailsWithState_AndLeavesNothingBehind()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store);
        var cause = new IOException("disk full");
        persistence.Failure = cause;
        var ran = false;

        var error = await Assert.ThrowsAsync<SpawnException>(() => manager.SpawnAsync("t1", "x", "named", "d", TaskParentContext.None,
            _ =>
            {
                ran = true;
                return Task.FromResult(TaskResult.Success(1));
            }));

        Assert.Equal(SpawnError.State, error.Error);
        Assert.Same(cause, error.InnerException);
        Assert.False(ran);
        Assert.Equal(0, store.Tasks.Count);
        Assert.Empty(await manager.ListAsync("t1"));
        Assert.Empty(persistence.AllStored());

        // Nothing was kept for a retry, and the name is free again once the persistence recovers.
        persistence.Failure = null;
        var id = await manager.SpawnAsync("t1", "x", "named", "d", TaskParentContext.None, WaitForCancellation);
        Assert.Equal([id], persistence.AllStored().Select(s => s.TaskId));
    }

    [Fact]
    public async Task Completion_WhenTheSaveFails_CacheShowsTheTruth_FaultIsReported_AndARetryMakesItDurable()
    {
        var clock = new FakeTimeProvider(s_now);
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions
        {
            TimeProvider = clock,
            RetryDelay = TimeSpan.FromSeconds(1),
            MaxRetryDelay = TimeSpan.FromSeconds(4),
        });
        await using var manager = new BackgroundTaskManager(store);
        var faults = new List<TaskPersistenceFault>();
        var firstFault = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = store.PersistenceFaults.Subscribe(fault =>
        {
            lock (faults)
            {
                faults.Add(fault);
            }

            firstFault.TrySetResult();
        });
        var gate = new TaskCompletionSource();
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            return TaskResult.Success("answer");
        });
        var cause = new IOException("disk full");
        persistence.Failure = cause;

        gate.SetResult();
        var terminal = await manager.WaitAsync(id).Guarded();
        await firstFault.Task.Guarded();

        // The task did not hang, the cache shows the terminal record, and the disk still says Running.
        Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
        Assert.Equal(BackgroundTaskStatus.Completed, store.Lookup(id)!.Status);
        Assert.Equal(BackgroundTaskStatus.Running, persistence.Stored(id)!.Status);
        var fault = Assert.Single(faults);
        Assert.Same(cause, fault.Exception);
        Assert.Equal([id], fault.PendingTaskIds);
        Assert.Equal(1, fault.Attempt);
        Assert.False(fault.IsRemoval);

        // The retry is due after RetryDelay on the store's clock; it fails again, and the next waits twice as long.
        var secondFault = WaitForFaults(store, 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await secondFault.Guarded()).Single().Attempt);

        persistence.Failure = null;
        var saved = WaitForSave(persistence, id, BackgroundTaskStatus.Completed);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(saved.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await saved.Guarded();
        Assert.Equal("answer", persistence.Stored(id)!.Result!.Value.GetString());
    }

    [Fact]
    public async Task PendingRecords_RideAlongWithTheNextBatch_WithoutWaitingForTheirRetry()
    {
        var clock = new FakeTimeProvider(s_now);
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions { TimeProvider = clock });
        await using var manager = new BackgroundTaskManager(store);
        var fault = WaitForFaults(store, 1);
        var gate = new TaskCompletionSource();
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            return TaskResult.Success(1);
        });
        persistence.Failure = new IOException("flaky");
        gate.SetResult();
        await manager.WaitAsync(id).Guarded();
        await fault.Guarded();

        persistence.Failure = null;
        var next = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, WaitForCancellation);

        // The clock never moved: the pending terminal record went out with the next spawn's transaction.
        Assert.Equal(BackgroundTaskStatus.Completed, persistence.Stored(id)!.Status);
        Assert.Equal([id, next], persistence.Saves[^1].Select(s => s.TaskId));
    }

    [Fact]
    public async Task DisposeAsync_FlushesPendingRecords_WhenThePersistenceHasRecovered()
    {
        var persistence = new FakePersistence();
        var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions { TimeProvider = new FakeTimeProvider(s_now) });
        var manager = new BackgroundTaskManager(store);
        var gate = new TaskCompletionSource();
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            return TaskResult.Failed("bad");
        });
        var fault = WaitForFaults(store, 1);
        persistence.Failure = new IOException("flaky");
        gate.SetResult();
        await manager.WaitAsync(id).Guarded();
        await fault.Guarded();

        await manager.DisposeAsync();
        persistence.Failure = null;
        await store.DisposeAsync();

        Assert.Equal("bad", persistence.Stored(id)!.Error);
        Assert.Equal(1, persistence.Disposals);
    }

    [Fact]
    public async Task DisposeAsync_WhenTheFlushStillFails_ThrowsNamingTheRecords_AndStillDisposesThePersistence()
    {
        var persistence = new FakePersistence();
        var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions { TimeProvider = new FakeTimeProvider(s_now) });
        var manager = new BackgroundTaskManager(store);
        var gate = new TaskCompletionSource();
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            return TaskResult.Success(1);
        });
        var cause = new IOException("disk gone");
        persistence.Failure = cause;
        gate.SetResult();
        await manager.WaitAsync(id).Guarded();
        await manager.DisposeAsync();

        var error = await Assert.ThrowsAsync<TaskStatePersistenceException>(() => store.DisposeAsync().AsTask());

        Assert.Equal([id], error.TaskIds);
        Assert.Same(cause, error.InnerException);
        Assert.Equal($"The task state store was disposed, but task '{id}' could not be written to its persistence: disk gone"
            + $" Task '{id}' ended (completed), but its end is not stored: it will reopen as an orphan (\"task orphaned: runtime restarted while running\").",
            error.Message);
        Assert.Equal(1, persistence.Disposals);
        Assert.Equal(BackgroundTaskStatus.Running, persistence.Stored(id)!.Status);
    }

    [Fact]
    public async Task AThrowingFaultObserver_DoesNotStopTheWriter()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions { TimeProvider = new FakeTimeProvider(s_now) });
        await using var manager = new BackgroundTaskManager(store);
        var thrown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = store.PersistenceFaults.Subscribe(_ =>
        {
            thrown.TrySetResult();
            throw new InvalidOperationException("observer bug");
        });
        persistence.Failure = new IOException("flaky");
        await Assert.ThrowsAsync<SpawnException>(() => manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, WaitForCancellation));
        await thrown.Task.Guarded();

        persistence.Failure = null;
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, WaitForCancellation).Guarded();

        Assert.NotNull(persistence.Stored(id));
    }

    [Fact]
    public async Task WritesAfterDispose_FailTheSpawnWithState()
    {
        var store = await TaskStateStore.OpenAsync(new FakePersistence());
        await using var manager = new BackgroundTaskManager(store);
        await store.DisposeAsync();

        var error = await Assert.ThrowsAsync<SpawnException>(() => manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, WaitForCancellation));

        Assert.Equal(SpawnError.State, error.Error);
        Assert.IsType<ObjectDisposedException>(error.InnerException);
    }

    /// <summary>Completes with the next <paramref name="count"/> faults the store reports.</summary>
    private static Task<IReadOnlyList<TaskPersistenceFault>> WaitForFaults(TaskStateStore store, int count)
    {
        var seen = new List<TaskPersistenceFault>();
        var done = new TaskCompletionSource<IReadOnlyList<TaskPersistenceFault>>(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable? subscription = null;
        subscription = store.PersistenceFaults.Subscribe(fault =>
        {
            seen.Add(fault);
            if (seen.Count == count)
            {
                subscription?.Dispose();
                done.TrySetResult([.. seen]);
            }
        });
        return done.Task;
    }

    /// <summary>Completes when the fake holds <paramref name="taskId"/> with <paramref name="status"/>; polls only on saves, never on time.</summary>
    private static Task WaitForSave(FakePersistence persistence, string taskId, BackgroundTaskStatus status) =>
        persistence.WhenStored(record => record.TaskId == taskId && record.Status == status);
}
