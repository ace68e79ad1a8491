using BackgroundTasks.Tests.Tasks;
using Microsoft.Data.Sqlite;

namespace BackgroundTasks.Sqlite.Tests;

/// <summary>A write that fails on an open database says what failed (saving which records, the file, the cause), never "cannot be opened".</summary>
public sealed class SqliteWriteErrorTests
{
    [Fact]
    public async Task Save_RefusedBySqlite_SaysWhichRecordsCouldNotBeSaved_NotThatTheFileCannotBeOpened()
    {
        using var db = new TempDatabase();
        await using var persistence = db.Persistence();
        await persistence.SaveAsync([TaskSamples.Minimal("bg_0")]);
        await RawDatabase.ExecuteAsync(db.Path, "CREATE TRIGGER refuse BEFORE INSERT ON tasks BEGIN SELECT RAISE(ABORT, 'no more rows'); END");

        var error = await Assert.ThrowsAsync<IOException>(() => persistence.SaveAsync([TaskSamples.Minimal("bg_1")]));

        Assert.Equal($"The task database '{db.Path}' could not be written while saving the records of task 'bg_1': "
            + "SQLite refused the write. SQLite Error 19: 'no more rows'.", error.Message);
    }

    [Fact]
    public async Task Remove_RefusedBySqlite_SaysWhichRecordsCouldNotBeRemoved()
    {
        using var db = new TempDatabase();
        await using var persistence = db.Persistence();
        await persistence.SaveAsync([TaskSamples.Minimal("bg_0"), TaskSamples.Minimal("bg_1")]);
        await RawDatabase.ExecuteAsync(db.Path, "CREATE TRIGGER refuse BEFORE DELETE ON tasks BEGIN SELECT RAISE(ABORT, 'keep them'); END");

        var error = await Assert.ThrowsAsync<IOException>(() => persistence.RemoveAsync(["bg_0", "bg_1"]));

        Assert.StartsWith($"The task database '{db.Path}' could not be written while removing the records of tasks 'bg_0', 'bg_1': SQLite refused the write.",
            error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(13, "the disk is full, or the database reached its size limit.")]
    [InlineData(8, "the file is read-only, or it was moved or deleted while open.")]
    public async Task AWriteFailure_NamesItsCause(int code, string cause)
    {
        using var db = new TempDatabase();
        var failure = code == 13 ? await FullErrorAsync(db.Path) : await ReadOnlyErrorAsync(db.Path);

        var error = SqliteErrors.Writing(db.Path, Messages.SavingRecords(["bg_7"]), failure);

        Assert.IsType<IOException>(error);
        Assert.Same(failure, error.InnerException);
        Assert.Equal($"The task database '{db.Path}' could not be written while saving the records of task 'bg_7': {cause} {failure.Message}", error.Message);
    }

    [Fact]
    public async Task AnOpenFailure_StillSaysCannotBeOpened()
    {
        using var db = new TempDatabase();
        var full = await FullErrorAsync(db.Path);

        var error = SqliteErrors.Opening(db.Path, full);

        Assert.Equal($"The task database '{db.Path}' cannot be opened: {full.Message}", error.Message);
    }

    /// <summary>A real SQLITE_FULL: a connection capped at its current size (PRAGMA max_page_count) that must grow.</summary>
    private static async Task<SqliteException> FullErrorAsync(string path)
    {
        await RawDatabase.ExecuteAsync(path, "CREATE TABLE t (x BLOB)");
        return await FailingWriteAsync(path, SqliteOpenMode.ReadWrite, "PRAGMA max_page_count = 1", 13);
    }

    /// <summary>A real SQLITE_READONLY: a write on a connection opened read-only.</summary>
    private static async Task<SqliteException> ReadOnlyErrorAsync(string path)
    {
        await RawDatabase.ExecuteAsync(path, "CREATE TABLE t (x BLOB)");
        return await FailingWriteAsync(path, SqliteOpenMode.ReadOnly, "SELECT 1", 8);
    }

    private static async Task<SqliteException> FailingWriteAsync(string path, SqliteOpenMode mode, string setup, int expectedCode)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = setup;
        await command.ExecuteNonQueryAsync();
        command.CommandText = "INSERT INTO t VALUES (zeroblob(100000))";
        var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(expectedCode, error.SqliteErrorCode);
        return error;
    }
}
