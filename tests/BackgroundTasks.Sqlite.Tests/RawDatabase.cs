using Microsoft.Data.Sqlite;

namespace BackgroundTasks.Sqlite.Tests;

/// <summary>Direct SQL on a task database, to inspect it or to damage it on purpose.</summary>
internal static class RawDatabase
{
    public static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = Open(path);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = Open(path);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public static async Task<IReadOnlyDictionary<string, object?>> RowAsync(string path, string taskId)
    {
        await using var connection = Open(path);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM tasks WHERE task_id = $id";
        command.Parameters.AddWithValue("$id", taskId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"No row for {taskId}.");
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return row;
    }

    // No pooling, so the file is really closed when the test is done with it.
    private static SqliteConnection Open(string path) => new($"Data Source={path};Pooling=False");
}
