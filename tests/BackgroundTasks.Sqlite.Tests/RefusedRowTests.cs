using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Sqlite.Tests;

/// <summary>A row real SQLite refuses fails alone, through the real persistence, and ends up stored as a small Failed record.</summary>
public sealed class RefusedRowTests
{
    [Fact]
    public async Task ARowSqliteRefuses_DoesNotFailLaterSpawns_AndReopensAsTheStandIn_NotAsAnOrphan()
    {
        using var db = new TempDatabase();
        await (await db.OpenAsync()).DisposeAsync();

        // SQLite refuses a value past SQLITE_LIMIT_LENGTH (1e9 bytes by default, and the limit of the persistence's
        // own connection cannot be lowered from outside), so a trigger refuses big rows instead: the same refusal of
        // one statement, which rolls its transaction back, at a test's cost.
        await RawDatabase.ExecuteAsync(db.Path, """
            CREATE TRIGGER refuse_big_rows BEFORE UPDATE ON tasks WHEN length(NEW.json) > 100000
            BEGIN SELECT RAISE(ABORT, 'string or blob too big'); END;
            """);

        string big;
        await using (var store = await db.OpenAsync(new TaskStateStoreOptions { MaxRecordRefusals = 2 }))
        {
            await using var manager = new BackgroundTaskManager(store);
            var gate = new TaskCompletionSource();
            big = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async _ =>
            {
                await gate.Task;
                return TaskResult.Success(new string('x', 200_000));
            });
            var standIn = new TaskCompletionSource<TaskSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var watch = store.Tasks.Watch(big).Subscribe(change =>
            {
                if (change.Current.Status == BackgroundTaskStatus.Failed)
                {
                    standIn.TrySetResult(change.Current);
                }
            });
            gate.SetResult();
            Assert.Equal(BackgroundTaskStatus.Completed, (await manager.WaitAsync(big).Guarded()).Status);

            for (var i = 0; i < 2; i++)
            {
                await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(i))).Guarded();
            }

            Assert.StartsWith("task ended completed, but its record could not be stored (the persistence refused it 2 times: ",
                (await standIn.Task.Guarded()).Error, StringComparison.Ordinal);
        }

        await using var reopened = await db.OpenAsync();
        var record = reopened.Lookup(big)!;
        Assert.Equal(BackgroundTaskStatus.Failed, record.Status);
        Assert.Null(record.Result);
        Assert.Contains("string or blob too big", record.Error, StringComparison.Ordinal);
        Assert.Equal(3, reopened.Tasks.Count);
        Assert.Empty(reopened.OrphanedOnOpen);
    }
}
