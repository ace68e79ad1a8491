using BackgroundTasks.Tests.Tasks;

namespace BackgroundTasks.Sqlite.Tests;

/// <summary>
/// Schema version 3 (StartedAt, Attempt, Queued) and the upgrade of version-2 files. The version-2 file is
/// <c>Fixtures/schema-v2.db</c>, written by the persistence as it was at schema version 2 (see Fixtures/README.md).
/// </summary>
public sealed class SchemaUpgradeTests
{
    private static readonly DateTimeOffset s_created = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SaveThenLoad_RoundTripsQueuedStartedAtAndAttempt()
    {
        using var db = new TempDatabase();
        var queued = TaskSamples.Minimal("bg_0") with { Status = BackgroundTaskStatus.Queued };
        var retried = TaskSamples.Full("bg_1") with { StartedAt = TaskSamples.Created.AddSeconds(2), Attempt = 3 };
        await using (var persistence = db.Persistence())
        {
            await persistence.LoadAsync();
            await persistence.SaveAsync([queued, retried]);
            await persistence.SaveAsync([retried with { Attempt = 4 }]);
        }

        await using var reopened = db.Persistence();
        var loaded = await reopened.LoadAsync();

        TaskSamples.AssertSameSummary(queued, loaded[0]);
        TaskSamples.AssertSameSummary(retried with { Attempt = 4 }, loaded[1]);
        var row = await RawDatabase.RowAsync(db.Path, "bg_0");
        Assert.Equal("queued", row["status"]);
        Assert.Null(row["started_at_ms"]);
        Assert.Equal(0L, row["attempt"]);
        Assert.Equal(TaskSamples.Created.AddSeconds(2).ToUnixTimeMilliseconds(), (await RawDatabase.RowAsync(db.Path, "bg_1"))["started_at_ms"]);
    }

    [Fact]
    public async Task OpeningAVersion2File_UpgradesItInPlace_KeepingEveryRecord()
    {
        using var db = new TempDatabase();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "schema-v2.db"), db.Path);

        await using (var store = await db.OpenAsync())
        {
            var done = store.Lookup("bg_0")!;
            Assert.Equal(BackgroundTaskStatus.Completed, done.Status);
            Assert.Equal("fetcher", done.Name);
            Assert.Equal(3, done.Result!.Value.GetProperty("pages").GetInt32());
            Assert.Equal(new TaskParentContext { RunId = "run-1", CallId = "call-1", AgentId = "agent-1" }, done.ParentContext);
            Assert.Equal(s_created.AddSeconds(5), done.CompletedAt);

            // Every version-2 task started when it was spawned, and ran once.
            Assert.All(store.Tasks.Items, s => Assert.Equal(s.CreatedAt, s.StartedAt));
            Assert.All(store.Tasks.Items, s => Assert.Equal(1, s.Attempt));

            // The Running one lost its process, as in any restart.
            var orphan = store.Lookup("bg_1")!;
            Assert.Equal(BackgroundTaskStatus.Failed, orphan.Status);
            Assert.Equal(BackgroundTaskManager.OrphanedTaskError, orphan.Error);
            Assert.Equal("bg_0", orphan.ParentContext.TaskId);
            Assert.Equal("boom", store.Lookup("bg_2")!.Error);
        }

        Assert.Equal(3L, await RawDatabase.ScalarAsync(db.Path, "SELECT version FROM schema_version"));
        Assert.Equal(1L, await RawDatabase.ScalarAsync(db.Path, "SELECT count(*) FROM schema_version"));

        // Upgraded once: reopening reads it as version 3, with the values the upgrade wrote.
        await using var reopened = db.Persistence();
        var loaded = await reopened.LoadAsync();
        Assert.Equal(["bg_0", "bg_1", "bg_2"], loaded.Select(s => s.TaskId));
        Assert.All(loaded, s => Assert.Equal(s.CreatedAt, s.StartedAt));
    }

    [Fact]
    public async Task AnUpgradedFile_HasTheColumnsOfANewOne_InTheSameOrder()
    {
        using var fresh = new TempDatabase();
        using var upgraded = new TempDatabase();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "schema-v2.db"), upgraded.Path);
        await using (var persistence = fresh.Persistence())
        {
            await persistence.LoadAsync();
        }

        await using (var persistence = upgraded.Persistence())
        {
            await persistence.LoadAsync();
        }

        const string Columns = "SELECT group_concat(name, ',') FROM pragma_table_info('tasks')";
        Assert.Equal(
            "seq,task_id,owner_thread_id,status,parent_task_id,run_id,name,created_at_ms,completed_at_ms,json,started_at_ms,attempt",
            await RawDatabase.ScalarAsync(fresh.Path, Columns));
        Assert.Equal(await RawDatabase.ScalarAsync(fresh.Path, Columns), await RawDatabase.ScalarAsync(upgraded.Path, Columns));
    }

    [Fact]
    public async Task ANegativeAttempt_IsAnErrorNamingTheFileTheTaskAndTheColumn()
    {
        using var db = new TempDatabase();
        await using (var persistence = db.Persistence())
        {
            await persistence.LoadAsync();
            await persistence.SaveAsync([TaskSamples.Minimal("bg_0")]);
        }

        await RawDatabase.ExecuteAsync(db.Path, "UPDATE tasks SET attempt = -2");
        await using var reopened = db.Persistence();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => reopened.LoadAsync());
        Assert.Contains(db.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("bg_0", error.Message, StringComparison.Ordinal);
        Assert.Contains("its attempt column holds -2, which is out of range.", error.Message, StringComparison.Ordinal);
    }
}
