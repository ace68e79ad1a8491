using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static BackgroundTasks.Tests.Store.DurableStoreTests;
using static BackgroundTasks.Tests.Store.StoreScenarios;

namespace BackgroundTasks.Tests.Store;

/// <summary>One record the persistence refuses (as SQLite refuses a result over its length limit) must fail alone.</summary>
public sealed class RefusedRecordTests
{
    private const string Orphaned = "task orphaned: runtime restarted while running";
    private static readonly DateTimeOffset s_now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ARefusedEnd_DoesNotFailLaterSpawns_AndAfterItsRetriesASmallTruthfulRecordIsStored()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions { TimeProvider = new FakeTimeProvider(s_now) });
        await using var manager = new BackgroundTaskManager(store);
        var faults = Collect(store);
        var (big, gate) = await SpawnGatedAsync(manager, TaskResult.Success("far too big"));
        persistence.Refuses = record => record.TaskId == big && record.Status == BackgroundTaskStatus.Completed;
        var standInCached = WhenCached(store, big, record => record.Status == BackgroundTaskStatus.Failed);
        gate.SetResult();
        await manager.WaitAsync(big).Guarded();

        // Each spawn's transaction fails with the refused record in it; the spawn's record is saved anyway.
        var later = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            later.Add(await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, WaitForCancellation).Guarded());
        }

        Assert.All(later, id => Assert.Equal(BackgroundTaskStatus.Running, persistence.Stored(id)!.Status));

        // Alone in its first attempt it could have been an outage; next to saved records it is a refusal, three times.
        var refusals = Snapshot(faults).Where(fault => fault.IsRecordRefused).ToList();
        Assert.Equal([1, 2, 3], refusals.Select(fault => fault.Attempt));
        Assert.All(refusals, fault => Assert.Equal([big], fault.PendingTaskIds));
        Assert.All(refusals, fault => Assert.Same(persistence.Refusal, fault.Exception));
        Assert.Equal($"BackgroundTasks: the persistence refused the record of task '{big}' while it saved others (refusal 1 of 3): string or blob too big"
            + $" Task '{big}' ended (completed), but its end is not stored: unless a retry succeeds, it will reopen as an orphan (\"{Orphaned}\").",
            refusals[0].Message);

        var stored = persistence.Stored(big)!;
        Assert.Equal(BackgroundTaskStatus.Failed, stored.Status);
        Assert.Null(stored.Result);
        Assert.Equal("task ended completed, but its record could not be stored (the persistence refused it 3 times: string or blob too big),"
            + " so its result or error is not kept", stored.Error);
        Assert.Equal(stored, await standInCached.Guarded());
        Assert.Equal(stored, store.Lookup(big));
    }

    [Fact]
    public async Task ARefusedSpawn_FailsOnlyItself_AndEveryOtherSpawnOfItsTransactionSucceeds()
    {
        var persistence = new FakePersistence { Refuses = record => record.Description == "refuse me" };
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store);
        // Queued behind the save in flight, so all ten go into one transaction.
        var (first, queued) = await SpawnBehindAHeldSaveAsync(manager, persistence, 10, i => i == 6 ? "refuse me" : "d");
        await first.Guarded();

        for (var i = 0; i < queued.Length; i++)
        {
            if (i == 6)
            {
                var error = await Assert.ThrowsAsync<SpawnException>(() => queued[i]).Guarded();
                Assert.Equal(SpawnError.State, error.Error);
                Assert.Same(persistence.Refusal, error.InnerException);
            }
            else
            {
                Assert.NotNull(persistence.Stored(await queued[i].Guarded()));
            }
        }

        Assert.Equal(10, persistence.AllStored().Count);
    }

    [Fact]
    public async Task WhenThePersistenceIsDown_NothingIsJudgedRefused_AndTheEndIsSavedIntactOnceItRecovers()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions { TimeProvider = new FakeTimeProvider(s_now) });
        await using var manager = new BackgroundTaskManager(store);
        var faults = Collect(store);
        var (id, gate) = await SpawnGatedAsync(manager, TaskResult.Success("answer"));
        persistence.Failure = new IOException("disk gone");
        gate.SetResult();
        await manager.WaitAsync(id).Guarded();

        // Many more attempts than MaxRecordRefusals, each with other records that fail too.
        for (var i = 0; i < 5; i++)
        {
            var error = await Assert.ThrowsAsync<SpawnException>(
                () => manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, WaitForCancellation)).Guarded();
            Assert.Equal(SpawnError.State, error.Error);
        }

        Assert.DoesNotContain(Snapshot(faults), fault => fault.IsRecordRefused);
        persistence.Failure = null;
        await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, WaitForCancellation).Guarded();

        Assert.Equal(("answer", BackgroundTaskStatus.Completed), (persistence.Stored(id)!.Result?.GetString(), persistence.Stored(id)!.Status));
    }

    [Fact]
    public async Task WhenThePersistenceIsDown_ABigBatchCostsAboutLog2NCalls_NotOnePerRecord()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store);
        persistence.Failure = new IOException("disk gone");
        var (first, queued) = await SpawnBehindAHeldSaveAsync(manager, persistence, 64);

        await Assert.ThrowsAsync<SpawnException>(() => first).Guarded();
        foreach (var spawn in queued)
        {
            await Assert.ThrowsAsync<SpawnException>(() => spawn).Guarded();
        }

        // One call for the first spawn; for the 64, the whole batch and then halves down to one record before
        // giving up: at most 4 + log2(64) = 10 calls.
        Assert.InRange(persistence.Saves.Count - 1, 1, 10);
    }

    [Fact]
    public async Task AStandInRefusedToo_IsGivenUp_AndTheFaultSaysTheTaskWillReopenAsAnOrphan()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence,
            new TaskStateStoreOptions { TimeProvider = new FakeTimeProvider(s_now), MaxRecordRefusals = 1 });
        await using var manager = new BackgroundTaskManager(store);
        var faults = Collect(store);
        var (doomed, gate) = await SpawnGatedAsync(manager, TaskResult.Failed("boom"));
        persistence.Refuses = record => record.TaskId == doomed && record.Status != BackgroundTaskStatus.Running;
        gate.SetResult();
        await manager.WaitAsync(doomed).Guarded();

        await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, WaitForCancellation).Guarded();
        await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, WaitForCancellation).Guarded();

        var last = Snapshot(faults).Last(fault => fault.IsRecordRefused);
        Assert.Equal([doomed], last.PendingTaskIds);
        Assert.Equal($"BackgroundTasks: the persistence refused even the small stand-in record of task '{doomed}'; the store gives up on it: string or blob too big"
            + $" Task '{doomed}' ended (failed), but its end is not stored: it will reopen as an orphan (\"{Orphaned}\").", last.Message);
        Assert.Equal(BackgroundTaskStatus.Running, persistence.Stored(doomed)!.Status);
    }

    [Fact]
    public void MaxRecordRefusals_MustBePositive()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TaskStateStore(new TaskStateStoreOptions { MaxRecordRefusals = 0 }));

        Assert.Equal(nameof(TaskStateStoreOptions.MaxRecordRefusals), error.ParamName);
        Assert.Equal(3, new TaskStateStoreOptions().MaxRecordRefusals);
    }

    internal static List<TaskPersistenceFault> Collect(TaskStateStore store)
    {
        var faults = new List<TaskPersistenceFault>();
        store.PersistenceFaults.Subscribe(fault =>
        {
            lock (faults)
            {
                faults.Add(fault);
            }
        });
        return faults;
    }

    internal static List<TaskPersistenceFault> Snapshot(List<TaskPersistenceFault> faults)
    {
        lock (faults)
        {
            return [.. faults];
        }
    }

    /// <summary>Completes with the record of <paramref name="taskId"/> once the cache holds one that matches.</summary>
    internal static Task<TaskSummary> WhenCached(TaskStateStore store, string taskId, Func<TaskSummary, bool> match)
    {
        var seen = new TaskCompletionSource<TaskSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Tasks.Watch(taskId).Subscribe(change =>
        {
            if (match(change.Current))
            {
                seen.TrySetResult(change.Current);
            }
        });
        return seen.Task;
    }
}
