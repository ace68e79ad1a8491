using BackgroundTasks.Tests.Tasks;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Sqlite.Tests;

public sealed class SqliteTaskStatePersistenceTests
{
    [Fact]
    public async Task SaveThenLoad_RoundTripsEveryField()
    {
        using var db = new TempDatabase();
        var full = TaskSamples.Full("bg_3");
        var minimal = TaskSamples.Minimal("bg_0");
        await using (var persistence = db.Persistence())
        {
            Assert.Empty(await persistence.LoadAsync());
            await persistence.SaveAsync([full, minimal]);
        }

        await using var reopened = db.Persistence();
        var loaded = await reopened.LoadAsync();

        Assert.Equal(2, loaded.Count);
        TaskSamples.AssertSameSummary(full, loaded[0]);
        TaskSamples.AssertSameSummary(minimal, loaded[1]);
    }

    [Fact]
    public async Task SaveThenLoad_RoundTripsProgress_InTheRowsJson()
    {
        using var db = new TempDatabase();
        TaskSummary[] records =
        [
            TaskSamples.Minimal("bg_0") with { Progress = new TaskProgress(0.375, "page 3 of 8") },
            TaskSamples.Minimal("bg_1") with { Progress = new TaskProgress(null, "thinking") },
            TaskSamples.Full("bg_2") with { Progress = new TaskProgress(1, null) },
        ];
        await using (var persistence = db.Persistence())
        {
            await persistence.LoadAsync();
            await persistence.SaveAsync(records);
        }

        await using var reopened = db.Persistence();
        var loaded = await reopened.LoadAsync();

        Assert.Equal(records.Select(r => r.Progress), loaded.Select(r => r.Progress));
        TaskSamples.AssertSameSummary(records[2], loaded[2]);
    }

    [Fact]
    public async Task SaveAsync_Upserts_AndLoadKeepsFirstInsertOrder()
    {
        using var db = new TempDatabase();
        await using var persistence = db.Persistence();
        await persistence.LoadAsync();
        await persistence.SaveAsync([TaskSamples.Minimal("bg_1"), TaskSamples.Minimal("bg_0")]);

        var finished = TaskSamples.Minimal("bg_1") with { Status = BackgroundTaskStatus.Failed, Error = "boom", CompletedAt = TaskSamples.Completed };
        await persistence.SaveAsync([finished]);
        var loaded = await persistence.LoadAsync();

        Assert.Equal(["bg_1", "bg_0"], loaded.Select(s => s.TaskId));
        TaskSamples.AssertSameSummary(finished, loaded[0]);
    }

    [Fact]
    public async Task LoadKeepsFirstInsertOrder_AcrossReopens_NotTheKeyOrder()
    {
        // The order must come from seq, not from the ids as text (bg_1 < bg_10 < bg_2), and a reopened file must
        // continue its seq rather than restart it.
        using var db = new TempDatabase();
        await using (var persistence = db.Persistence())
        {
            await persistence.SaveAsync([TaskSamples.Minimal("bg_2")]);
        }

        await using (var persistence = db.Persistence())
        {
            await persistence.SaveAsync([TaskSamples.Minimal("bg_10"), TaskSamples.Minimal("bg_1")]);
            await persistence.SaveAsync([TaskSamples.Minimal("bg_2") with { Status = BackgroundTaskStatus.Cancelled, CompletedAt = TaskSamples.Completed }]);
        }

        await using (var persistence = db.Persistence())
        {
            Assert.Equal(["bg_2", "bg_10", "bg_1"], (await persistence.LoadAsync()).Select(s => s.TaskId));
        }
    }

    [Fact]
    public async Task Rows_HoldTheQueriedColumns_AndTheRestOfTheRecordAsJson()
    {
        using var db = new TempDatabase();
        await using (var persistence = db.Persistence())
        {
            await persistence.SaveAsync([TaskSamples.Full("bg_3"), TaskSamples.Minimal("bg_0")]);
        }

        var full = await RawDatabase.RowAsync(db.Path, "bg_3");
        var minimal = await RawDatabase.RowAsync(db.Path, "bg_0");

        Assert.Equal(("thread-1", "completed", "bg_1", "run-9", "builder"),
            ((string?)full["owner_thread_id"], (string?)full["status"], (string?)full["parent_task_id"], (string?)full["run_id"], (string?)full["name"]));
        Assert.Equal((1_700_000_000_123L, 1_700_000_004_567L), ((long?)full["created_at_ms"], (long?)full["completed_at_ms"]));
        Assert.Equal(
            """{"task_type":"shell","description":"Build the docs","error":"partial","result":{"files":[1,2],"ok":true},"call_id":"call-4","agent_id":"agent-2"}""",
            full["json"]);
        Assert.Equal("""{"task_type":"shell","description":"d"}""", minimal["json"]);
        Assert.Equal(("running", null, null, null, null),
            ((string?)minimal["status"], minimal["parent_task_id"], minimal["run_id"], minimal["name"], minimal["completed_at_ms"]));
    }

    [Fact]
    public async Task Database_UsesWal_AndRecordsItsSchemaVersion()
    {
        using var db = new TempDatabase();
        await using (var persistence = db.Persistence())
        {
            await persistence.LoadAsync();
        }

        Assert.Equal("wal", await RawDatabase.ScalarAsync(db.Path, "PRAGMA journal_mode"));
        Assert.Equal(2L, await RawDatabase.ScalarAsync(db.Path, "SELECT version FROM schema_version"));

        // Only the primary key's own index: nothing in the library queries by owner or status, and every
        // further index would slow every spawn and every ending (see SqliteSchema).
        Assert.Equal(0L, await RawDatabase.ScalarAsync(db.Path,
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'"));
    }

    [Fact]
    public async Task RolledBackBatch_LeavesNoSeqBehind_SoALaterRowWithThatSeqIsNeverOverwritten()
    {
        // The persistence updates saved rows by seq. A batch that fails rolls back, and SQLite hands the seq its
        // first row had taken to the next insert; a seq remembered from the failed batch would then point the
        // end of bg_0 at bg_1's row.
        using var db = new TempDatabase();
        await using var persistence = db.Persistence();
        await persistence.LoadAsync();
        var broken = TaskSamples.Minimal("bg_9") with { OwnerThreadId = null! };
        await Assert.ThrowsAsync<IOException>(() => persistence.SaveAsync([TaskSamples.Minimal("bg_0"), broken]));

        await persistence.SaveAsync([TaskSamples.Minimal("bg_1")]);
        var ended = TaskSamples.Minimal("bg_0") with { Status = BackgroundTaskStatus.Completed, CompletedAt = TaskSamples.Completed };
        await persistence.SaveAsync([ended]);

        var loaded = await persistence.LoadAsync();
        Assert.Equal(["bg_1", "bg_0"], loaded.Select(s => s.TaskId));
        TaskSamples.AssertSameSummary(TaskSamples.Minimal("bg_1"), loaded[0]);
        TaskSamples.AssertSameSummary(ended, loaded[1]);
    }

    [Fact]
    public async Task RowDeletedByAnotherTool_IsWrittenAgain_WhenItsRecordIsSavedNext()
    {
        using var db = new TempDatabase();
        await using var persistence = db.Persistence();
        await persistence.SaveAsync([TaskSamples.Minimal("bg_0"), TaskSamples.Minimal("bg_1")]);
        await RawDatabase.ExecuteAsync(db.Path, "DELETE FROM tasks WHERE task_id = 'bg_0'");

        var ended = TaskSamples.Minimal("bg_0") with { Status = BackgroundTaskStatus.Failed, Error = "e", CompletedAt = TaskSamples.Completed };
        await persistence.SaveAsync([ended]);

        var loaded = await persistence.LoadAsync();
        Assert.Equal(["bg_1", "bg_0"], loaded.Select(s => s.TaskId));
        TaskSamples.AssertSameSummary(ended, loaded[1]);
    }

    [Fact]
    public async Task RemovedRecord_SavedAgain_GetsANewRow()
    {
        using var db = new TempDatabase();
        await using var persistence = db.Persistence();
        await persistence.SaveAsync([TaskSamples.Minimal("bg_0"), TaskSamples.Minimal("bg_1")]);
        await persistence.RemoveAsync(["bg_0"]);

        await persistence.SaveAsync([TaskSamples.Minimal("bg_0")]);

        Assert.Equal(["bg_1", "bg_0"], (await persistence.LoadAsync()).Select(s => s.TaskId));
        Assert.Equal(2L, await RawDatabase.ScalarAsync(db.Path, "SELECT count(*) FROM tasks"));
    }

    [Fact]
    public async Task RemoveAsync_DeletesTheRows_AndIgnoresUnknownIds()
    {
        using var db = new TempDatabase();
        await using var persistence = db.Persistence();
        await persistence.SaveAsync([TaskSamples.Minimal("bg_0"), TaskSamples.Minimal("bg_1")]);

        await persistence.RemoveAsync(["bg_0", "bg_404"]);

        Assert.Equal(["bg_1"], (await persistence.LoadAsync()).Select(s => s.TaskId));
    }

    [Fact]
    public async Task Restart_TurnsRunningRecordsIntoSavedOrphans_AndTheCounterContinues()
    {
        using var db = new TempDatabase();
        await using (var store = await db.OpenAsync())
        {
            await using var manager = new BackgroundTaskManager(store);
            for (var i = 0; i < 3; i++)
            {
                var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(7)));
                await manager.WaitAsync(id).Guarded();
            }
        }

        // What a crash leaves: a Running record nobody will finish.
        await using (var persistence = db.Persistence())
        {
            await persistence.SaveAsync([TaskSamples.Minimal("bg_3")]);
        }

        await using (var store = await db.OpenAsync())
        {
            await using var manager = new BackgroundTaskManager(store);
            Assert.Equal("task orphaned: runtime restarted while running", store.Lookup("bg_3")!.Error);
            Assert.Equal(7, store.Lookup("bg_2")!.Result!.Value.GetInt32());
            Assert.Equal("bg_4", await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(8))));
            await manager.WaitAsync("bg_4").Guarded();
        }

        await using var check = db.Persistence();
        var records = (await check.LoadAsync()).ToDictionary(s => s.TaskId);
        Assert.Equal(["bg_0", "bg_1", "bg_2", "bg_3", "bg_4"], records.Keys);
        Assert.Equal(BackgroundTaskStatus.Failed, records["bg_3"].Status);
        Assert.Equal(BackgroundTaskStatus.Completed, records["bg_4"].Status);
    }

    [Fact]
    public async Task PrunedRecords_AreGoneAfterReopening()
    {
        using var db = new TempDatabase();
        await using (var store = await db.OpenAsync(new TaskStateStoreOptions { MaxTerminalPerOwner = 1, PruneInterval = Timeout.InfiniteTimeSpan }))
        {
            await using var manager = new BackgroundTaskManager(store);
            for (var i = 0; i < 3; i++)
            {
                await manager.WaitAsync(await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None,
                    _ => Task.FromResult(TaskResult.Success(1)))).Guarded();
            }

            // The cap held as each task ended: nothing is left over for a prune.
            Assert.Equal(["bg_2"], store.Tasks.Keys);
            Assert.Equal(0, await store.PruneAsync());
        }

        await using var reopened = await db.OpenAsync();

        Assert.Equal(["bg_2"], reopened.Tasks.Keys);
    }

    [Fact]
    public void Constructor_ChecksItsPath_AndResolvesItToAFullPath()
    {
        Assert.Throws<ArgumentNullException>(() => new SqliteTaskStatePersistence(null!));
        Assert.Throws<ArgumentException>(() => new SqliteTaskStatePersistence(""));
        Assert.Equal(Path.GetFullPath("tasks.db"), new SqliteTaskStatePersistence("tasks.db").DatabasePath);
    }

    [Fact]
    public async Task AfterDispose_CallsThrow_AndDisposeIsIdempotent()
    {
        using var db = new TempDatabase();
        var persistence = db.Persistence();
        await persistence.LoadAsync();

        await persistence.DisposeAsync();
        await persistence.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => persistence.LoadAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => persistence.SaveAsync([TaskSamples.Minimal()]));
        await Assert.ThrowsAsync<ArgumentNullException>(() => persistence.SaveAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => persistence.RemoveAsync(null!));
    }
}
