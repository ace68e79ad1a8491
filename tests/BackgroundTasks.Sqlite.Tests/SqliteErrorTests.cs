using BackgroundTasks.Tests.Tasks;

namespace BackgroundTasks.Sqlite.Tests;

public sealed class SqliteErrorTests
{
    [Fact]
    public async Task SecondOpener_GetsAnErrorNamingTheFileAndTheHolder_UntilTheFirstIsDisposed()
    {
        using var db = new TempDatabase();
        var first = db.Persistence();
        await first.LoadAsync();

        await using var second = db.Persistence();
        var error = await Assert.ThrowsAsync<IOException>(() => second.LoadAsync());

        Assert.StartsWith($"The task database '{db.Path}' is already in use by process {Environment.ProcessId} (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; only one store may open a database at a time.", error.Message, StringComparison.Ordinal);

        await first.DisposeAsync();
        Assert.Empty(await second.LoadAsync());
    }

    [Fact]
    public async Task OpenAsync_OnAHeldDatabase_Fails_AndReleasesNothingItDidNotTake()
    {
        using var db = new TempDatabase();
        await using var holder = await db.OpenAsync();

        await Assert.ThrowsAsync<IOException>(() => db.OpenAsync());

        // The holder still works.
        await using var manager = new BackgroundTaskManager(holder);
        Assert.Equal("bg_0", await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1))));
    }

    [Fact]
    public async Task CorruptFile_IsAnErrorNamingTheFile()
    {
        using var db = new TempDatabase();
        await File.WriteAllBytesAsync(db.Path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7 % 251))]);
        await using var persistence = db.Persistence();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => persistence.LoadAsync());

        Assert.StartsWith($"The task database '{db.Path}' cannot be opened: it is corrupt or not a SQLite database (", error.Message, StringComparison.Ordinal);

        // The failed open released the lock: the file can be replaced and opened again.
        File.Delete(db.Path);
        Assert.Empty(await persistence.LoadAsync());
    }

    [Fact]
    public async Task UnknownSchemaVersion_IsAnErrorNamingTheFileAndTheVersion()
    {
        using var db = new TempDatabase();
        await using (var persistence = db.Persistence())
        {
            await persistence.LoadAsync();
        }

        await RawDatabase.ExecuteAsync(db.Path, "UPDATE schema_version SET version = 7");
        await using var reopened = db.Persistence();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => reopened.LoadAsync());

        Assert.Equal($"The task database '{db.Path}' has schema version 7, but this version of BackgroundTasks.Sqlite reads only version 3.", error.Message);
    }

    [Fact]
    public async Task AnotherSqliteDatabase_IsNotMistakenForATaskDatabase()
    {
        using var db = new TempDatabase();
        await RawDatabase.ExecuteAsync(db.Path, "CREATE TABLE customers (id INTEGER)");
        await using var persistence = db.Persistence();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => persistence.LoadAsync());

        Assert.Equal($"The file '{db.Path}' is a SQLite database but not a task database: it has tables but no schema_version table.", error.Message);
    }

    [Theory]
    [InlineData("json = '{\"task_type\":\"shell\"'", "The json column is not valid JSON")]
    [InlineData("json = '{\"task_type\":\"shell\"}'", "The \"description\" property is missing from task 'bg_1'.")]
    [InlineData("json = '[1]'", "its json column must hold a JSON object, but it holds an array.")]
    [InlineData("status = 'sleeping'", "The status 'sleeping' of task 'bg_1' is not known")]
    [InlineData("created_at_ms = 'yesterday'", "its created_at_ms column holds text, not an integer.")]
    [InlineData("completed_at_ms = 1.5", "its completed_at_ms column holds a real, not an integer.")]
    [InlineData("owner_thread_id = ''", "its owner_thread_id column is empty.")]
    [InlineData("name = x'00'", "its name column holds a blob, not text.")]
    public async Task UnreadableRow_IsAnErrorNamingTheFileTheTaskAndTheProblem_AndNothingIsDropped(string damage, string problem)
    {
        using var db = new TempDatabase();
        await using (var persistence = db.Persistence())
        {
            await persistence.SaveAsync([TaskSamples.Minimal("bg_0"), TaskSamples.Minimal("bg_1")]);
        }

        await RawDatabase.ExecuteAsync(db.Path, $"UPDATE tasks SET {damage} WHERE task_id = 'bg_1'");
        await using var reopened = db.Persistence();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TaskStateStore.OpenAsync(reopened));

        var prefix = $"The task database '{db.Path}' holds a record for task 'bg_1' that cannot be read: ";
        Assert.StartsWith(prefix, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message[prefix.Length..], StringComparison.Ordinal);
    }
}
