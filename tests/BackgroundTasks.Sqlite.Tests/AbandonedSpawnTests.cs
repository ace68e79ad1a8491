using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Sqlite.Tests;

/// <summary>On SQLite too, a task abandoned while its spawn's Running row is being written ends with its terminal row.</summary>
public sealed class AbandonedSpawnTests
{
    [Fact]
    public async Task Race_SpawnsAgainstAnAbandoningDispose_LeaveOnlyTerminalRows()
    {
        using var db = new TempDatabase();
        var spawned = new List<string>();
        await using (var store = await db.OpenAsync())
        {
            for (var round = 0; round < 100; round++)
            {
                var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { ShutdownGrace = TimeSpan.Zero });
                var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var (spawning, disposing) = SpawnDisposeRace.Start(manager, go.Task);
                go.SetResult();
                await disposing.Guarded();
                try
                {
                    spawned.Add(await spawning.Guarded());
                }
                catch (ObjectDisposedException)
                {
                    // The disposal came first: nothing was spawned.
                    continue;
                }

                Assert.Equal(BackgroundTaskStatus.Cancelled, store.Lookup(spawned[^1])!.Status);
            }
        }

        await using var check = db.Persistence();
        var rows = (await check.LoadAsync()).ToDictionary(row => row.TaskId);
        Assert.All(spawned, id => Assert.Equal(BackgroundTaskStatus.Cancelled, rows[id].Status));
    }
}
