using BackgroundTasks.Caching;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static BackgroundTasks.Tests.Store.DurableStoreTests;

namespace BackgroundTasks.Tests.Store;

/// <summary>The per-owner cap holds as terminal records arrive, with no prune; the age limit prunes in slices.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class ContinuousRetentionTests
{
    private const int Cap = 10;
    private static readonly DateTimeOffset s_now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task InMemory_TheCapHoldsThroughABurst_WithoutAnyPrune()
    {
        using var store = new TaskStateStore(new TaskStateStoreOptions { MaxTerminalPerOwner = Cap, PruneInterval = Timeout.InfiniteTimeSpan });
        await using var manager = new BackgroundTaskManager(store);
        var largest = 0;
        using var subscription = store.Tasks.CountChanged.Subscribe(count => largest = Math.Max(largest, count));

        await BurstAsync(manager, owners: 20, tasksPerOwner: 60);

        AssertCapHeld(store.Tasks.Items, owners: 20);
        Assert.All(Enumerable.Range(0, 20), owner => Assert.Equal(Cap, store.Index.TasksOfOwner($"t{owner}").Length));

        // Never more than the cap plus the tasks in flight at once (the burst runs 20 at a time).
        Assert.InRange(largest, 20 * Cap, (20 * Cap) + 20);
    }

    [Fact]
    public async Task Durable_TheCapHoldsThroughABurst_InTheCacheAndOnDisk_WithoutAnyPrune()
    {
        var persistence = new FakePersistence();
        var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions { MaxTerminalPerOwner = Cap, PruneInterval = Timeout.InfiniteTimeSpan });
        await using (var manager = new BackgroundTaskManager(store))
        {
            await BurstAsync(manager, owners: 8, tasksPerOwner: 40);
            AssertCapHeld(store.Tasks.Items, owners: 8);
        }

        await store.DisposeAsync();

        AssertCapHeld(persistence.AllStored(), owners: 8);
    }

    [Fact]
    public async Task TheCap_KeepsTheMostRecentlyCompleted_AndNeverEvictsRunningRecords()
    {
        var clock = new FakeTimeProvider(s_now);
        using var store = new TaskStateStore(new TaskStateStoreOptions { MaxTerminalPerOwner = 2, TimeProvider = clock });
        await store.WriteAsync(Record("bg_0", BackgroundTaskStatus.Running));
        await store.WriteAsync(Record("bg_1", BackgroundTaskStatus.Completed, completedAt: s_now.AddMinutes(-1)));
        await store.WriteAsync(Record("bg_2", BackgroundTaskStatus.Completed, completedAt: s_now.AddMinutes(-3)));
        await store.WriteAsync(Record("bg_3", BackgroundTaskStatus.Failed, completedAt: s_now.AddMinutes(-2)));
        await store.WriteAsync(Record("bg_4", BackgroundTaskStatus.Completed, owner: "t2", completedAt: s_now.AddMinutes(-9)));

        Assert.Equal(["bg_0", "bg_1", "bg_3", "bg_4"], store.Tasks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["bg_0", "bg_1", "bg_3"], store.Index.TasksOfOwner("t1"));
    }

    [Fact]
    public async Task TheCap_WithRecordsEndingMostlyInOrder_AndSomeOutOfOrder_KeepsTheNewestByEnd()
    {
        // Most records end in order (the ledger's fast lane), some arrive late with an older end, some tie on the end
        // time in another id order (its heap): the store keeps exactly the newest Cap by end time, ties to the later id.
        using var store = new TaskStateStore(new TaskStateStoreOptions { MaxTerminalPerOwner = Cap, PruneInterval = Timeout.InfiniteTimeSpan });
        var random = new Random(11);
        var ends = new Dictionary<string, DateTimeOffset>();
        for (var i = 0; i < 2_000; i++)
        {
            var id = $"bg_{i}";
            var end = random.Next(10) switch
            {
                0 => s_now.AddSeconds(i - random.Next(1, 50)),
                1 => s_now.AddSeconds(i - 1),
                _ => s_now.AddSeconds(i),
            };
            ends[id] = end;
            await store.WriteAsync(Record(id, BackgroundTaskStatus.Completed, completedAt: end));
        }

        var expected = ends
            .OrderByDescending(pair => pair.Value)
            .ThenByDescending(pair => pair.Key.Length)
            .ThenByDescending(pair => pair.Key, StringComparer.Ordinal)
            .Take(Cap)
            .Select(pair => pair.Key)
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, store.Tasks.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ABurstUnderTheCap_HoldsMemoryToTheCap_NotToTheBurst()
    {
        using var store = new TaskStateStore(new TaskStateStoreOptions { MaxTerminalPerOwner = Cap, PruneInterval = Timeout.InfiniteTimeSpan });

        // The manager's event replay (a completed event holds its result) has its own bound; this measures the store.
        await using var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { EventReplayCapacityPerOwner = 0 });
        var payload = new string('x', 4096);
        await BurstAsync(manager, owners: 10, tasksPerOwner: 10, payload);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        // 10,000 results of 4 KB each: over 40 MB if they were held, 100 of them (0.4 MB) under the cap.
        await BurstAsync(manager, owners: 10, tasksPerOwner: 1000, payload);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Equal(10 * Cap, store.Tasks.Count);
        Assert.True(after - before < 8_000_000, $"The store grew by {after - before:N0} bytes over a burst it holds 100 records of.");
    }

    [Fact]
    public async Task ALargeAgePrune_RemovesInSlices_FromTheCacheAndFromDisk()
    {
        const int Records = 5000;
        var clock = new FakeTimeProvider(s_now);
        var stored = Enumerable.Range(0, Records)
            .Select(i => Record($"bg_{i}", BackgroundTaskStatus.Completed, owner: $"t{i % 7}", completedAt: s_now))
            .ToArray();
        var persistence = new FakePersistence(stored);
        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions
        {
            TimeProvider = clock,
            RetainTerminalFor = TimeSpan.FromMinutes(1),
            PruneInterval = Timeout.InfiniteTimeSpan,
        });
        var removals = new List<int>();
        using var subscription = store.Tasks.Connect().Subscribe(changes => removals.Add(changes.Removes));
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(Records, await store.PruneAsync().Guarded());

        Assert.Equal(0, store.Tasks.Count);
        Assert.Empty(persistence.AllStored());
        Assert.Equal(Records, removals.Sum());
        Assert.All(removals, count => Assert.InRange(count, 0, StoreWriter.PruneSlice));
        Assert.All(persistence.Removals, ids => Assert.InRange(ids.Count, 1, StoreWriter.PruneSlice));
        Assert.True(removals.Count(count => count > 0) >= 3);
    }

    [Fact]
    public async Task ALargeAgePrune_InMemory_RemovesInSlices()
    {
        var clock = new FakeTimeProvider(s_now);
        using var store = new TaskStateStore(new TaskStateStoreOptions
        {
            TimeProvider = clock,
            RetainTerminalFor = TimeSpan.FromMinutes(1),
            PruneInterval = Timeout.InfiniteTimeSpan,
        });
        for (var i = 0; i < 5000; i++)
        {
            await store.WriteAsync(Record($"bg_{i}", BackgroundTaskStatus.Completed, completedAt: s_now));
        }

        var removals = new List<int>();
        using var subscription = store.Tasks.Connect().Subscribe(changes => removals.Add(changes.Removes));
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(5000, await store.PruneAsync());

        Assert.Equal([2048, 2048, 904], removals.Where(count => count > 0));
        Assert.Empty(store.Index.TasksOfOwner("t1"));
    }

    private static async Task BurstAsync(BackgroundTaskManager manager, int owners, int tasksPerOwner, string? payload = null)
    {
        for (var round = 0; round < tasksPerOwner; round++)
        {
            var spawns = Enumerable.Range(0, owners).Select(async owner =>
            {
                var id = await manager.SpawnAsync($"t{owner}", "x", null, "d", TaskParentContext.None,
                    _ => Task.FromResult(TaskResult.Success(payload ?? "done")));
                await manager.WaitAsync(id);
            });
            await Task.WhenAll(spawns).Guarded();
        }
    }

    private static void AssertCapHeld(IEnumerable<TaskSummary> records, int owners)
    {
        var perOwner = records.GroupBy(record => record.OwnerThreadId).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(owners, perOwner.Count);
        Assert.All(perOwner, pair => Assert.Equal(Cap, pair.Value));
    }
}
