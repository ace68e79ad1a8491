using BackgroundTasks.Caching;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static BackgroundTasks.Tests.Store.DurableStoreTests;
using static BackgroundTasks.Tests.Store.RefusedRecordTests;
using static BackgroundTasks.Tests.Store.StoreScenarios;

namespace BackgroundTasks.Tests.Store;

/// <summary>A durable store shows a changed record only once it is saved (or its first save has failed and been reported).</summary>
public sealed class CacheAfterSaveTests
{
    private static readonly DateTimeOffset s_now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AnEnd_IsNotInTheCache_NorSeenByConnectOrWatch_UntilItsSaveCompletes()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store);
        var (id, body) = await SpawnGatedAsync(manager, TaskResult.Success(7));
        var seen = new List<BackgroundTaskStatus>();
        using var connected = store.Tasks.Connect().Subscribe(changes =>
        {
            lock (seen)
            {
                seen.AddRange(changes.Select(change => change.Current.Status));
            }
        });
        var watched = new List<BackgroundTaskStatus>();
        using var watch = store.Tasks.Watch(id).Subscribe(change =>
        {
            lock (watched)
            {
                watched.Add(change.Current.Status);
            }
        });
        var save = new TaskCompletionSource();
        persistence.HoldSaves(save.Task);
        var started = persistence.NextSaveStarted();

        body.SetResult();
        await started.Guarded();
        var waiting = manager.WaitAsync(id);
        try
        {
            // The end is being saved: nobody may see it yet, since a crash now would bring the task back as an orphan.
            Assert.Equal(BackgroundTaskStatus.Running, store.Lookup(id)!.Status);
            Assert.Equal(BackgroundTaskStatus.Running, store.Snapshot().Tasks[id].Status);
            Assert.False(waiting.IsCompleted);
            lock (seen)
            {
                Assert.Equal([BackgroundTaskStatus.Running], seen);
            }

            lock (watched)
            {
                Assert.Equal([BackgroundTaskStatus.Running], watched);
            }
        }
        finally
        {
            // Opened whatever the outcome, so a failed assertion fails the test instead of hanging its disposal.
            save.SetResult();
        }

        Assert.Equal(BackgroundTaskStatus.Completed, (await waiting.Guarded()).Status);

        Assert.Equal(BackgroundTaskStatus.Completed, persistence.Stored(id)!.Status);
        Assert.Equal(BackgroundTaskStatus.Completed, store.Lookup(id)!.Status);
        lock (seen)
        {
            Assert.Equal([BackgroundTaskStatus.Running, BackgroundTaskStatus.Completed], seen);
        }
    }

    [Fact]
    public async Task AnEndWhoseFirstSaveFails_EntersTheCacheAfterTheFaultIsReported()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions { TimeProvider = new FakeTimeProvider(s_now) });
        await using var manager = new BackgroundTaskManager(store);
        var faults = Collect(store);
        var (id, body) = await SpawnGatedAsync(manager, TaskResult.Success(7));
        var faultsWhenSeen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = store.Tasks.Connect().Subscribe(changes =>
        {
            if (changes.Any(change => change.Current.Status == BackgroundTaskStatus.Completed))
            {
                faultsWhenSeen.TrySetResult(Snapshot(faults).Count);
            }
        });
        var save = new TaskCompletionSource();
        persistence.HoldSaves(save.Task);
        persistence.Failure = new IOException("disk full");
        var started = persistence.NextSaveStarted();
        body.SetResult();
        await started.Guarded();
        try
        {
            Assert.Equal(BackgroundTaskStatus.Running, store.Lookup(id)!.Status);
            save.SetResult();

            Assert.Equal(1, await faultsWhenSeen.Task.Guarded());
            Assert.Equal(BackgroundTaskStatus.Completed, store.Lookup(id)!.Status);
            Assert.Equal(BackgroundTaskStatus.Running, persistence.Stored(id)!.Status);
            var fault = Assert.Single(Snapshot(faults));
            Assert.Equal([id], fault.PendingTaskIds);
            Assert.False(fault.IsRecordRefused);
            Assert.Equal($"BackgroundTasks: the task state store could not save task '{id}' (attempt 1); it will retry: disk full"
                + $" Task '{id}' ended (completed), but its end is not stored: unless a retry succeeds, it will reopen as an orphan"
                + " (\"task orphaned: runtime restarted while running\").", fault.Message);
        }
        finally
        {
            save.TrySetResult();
            persistence.Failure = null;
        }
    }

    [Fact]
    public async Task WritesOfOneTask_EnterTheCacheInTheOrderTheyWereWritten_ThoughTheirSavesOverlap()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        var running = Record("bg_0", BackgroundTaskStatus.Running);
        await store.WriteAsync(running);
        var seen = new List<string>();
        using var subscription = store.Tasks.Watch("bg_0").Subscribe(change =>
        {
            lock (seen)
            {
                seen.Add(change.Current.Description);
            }
        });

        // Racing writers: many batches in flight one after another, each applied after its own save.
        const int Writes = 300;
        var writes = new Task[Writes];
        for (var i = 0; i < Writes; i++)
        {
            writes[i] = store.WriteAsync(running with { Description = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).AsTask();
        }

        await Task.WhenAll(writes).Guarded();

        List<int> order;
        lock (seen)
        {
            order = [.. seen.Skip(1).Select(int.Parse)];
        }

        Assert.Equal(order.Order(), order);
        Assert.Equal(order.Distinct().Count(), order.Count);
        Assert.Equal(Writes - 1, order[^1]);
        Assert.Equal($"{Writes - 1}", store.Lookup("bg_0")!.Description);
        Assert.Equal($"{Writes - 1}", persistence.Stored("bg_0")!.Description);
    }

    [Fact]
    public async Task ARestoredRecord_IsNotPublishedTwice()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store);
        var changes = new List<ChangeReason>();
        using var subscription = store.Tasks.Connect().Subscribe(set =>
        {
            lock (changes)
            {
                changes.AddRange(set.Select(change => change.Reason));
            }
        });

        await manager.RestoreForThreadAsync("t1", new BackgroundTaskStateSnapshot(new Dictionary<string, TaskSummary>
        {
            ["bg_4"] = Record("bg_4", BackgroundTaskStatus.Completed),
        }));

        Assert.NotNull(persistence.Stored("bg_4"));
        lock (changes)
        {
            Assert.Equal([ChangeReason.Add], changes);
        }
    }
}
