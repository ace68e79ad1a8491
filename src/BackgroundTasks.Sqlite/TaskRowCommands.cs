using System.Buffers;
using System.Text.Json;
using BackgroundTasks.Serialization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BackgroundTasks.Sqlite;

/// <summary>
/// The two writes of the persistence, prepared once per connection. The upsert, which runs for every record
/// of every batch, is a raw SQLite statement bound by position; the delete goes through ADO.NET.
/// </summary>
/// <remarks>
/// Why raw for the upsert: Microsoft.Data.Sqlite looks every parameter up by name, and converts it, on every
/// execution, which cost more than the SQL itself and made the writer the bottleneck of a durable store.
/// Its async methods run synchronously, so binding and stepping the prepared statement directly blocks no
/// more than <c>ExecuteNonQueryAsync</c> would. The statement runs inside the ADO.NET transaction of the same
/// connection, and SQLite errors become <see cref="SqliteException"/> exactly as ADO.NET reports them.
/// </remarks>
internal sealed class TaskRowCommands : IAsyncDisposable
{
    private const string UpsertSql = """
        INSERT INTO tasks (task_id, owner_thread_id, status, parent_task_id, run_id, name, created_at_ms, completed_at_ms, json)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT (task_id) DO UPDATE SET
            owner_thread_id = excluded.owner_thread_id, status = excluded.status,
            parent_task_id = excluded.parent_task_id, run_id = excluded.run_id, name = excluded.name,
            created_at_ms = excluded.created_at_ms, completed_at_ms = excluded.completed_at_ms, json = excluded.json
        """;

    // One JSON buffer and writer for every row: the persistence writes from one flow at a time.
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _jsonWriter;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _upsert;
    private readonly SqliteCommand _delete;
    private readonly SqliteParameter _deleteId;

    public TaskRowCommands(SqliteConnection connection)
    {
        _db = connection.Handle!;
        _jsonWriter = new Utf8JsonWriter(_json);

        // An UPSERT updates the row in place; INSERT OR REPLACE would delete and re-insert it, touching the index twice.
        Check(raw.sqlite3_prepare_v2(_db, UpsertSql, out _upsert));

        _delete = connection.CreateCommand();
        _delete.CommandText = "DELETE FROM tasks WHERE task_id = $task_id";
        _deleteId = _delete.Parameters.Add("$task_id", SqliteType.Text);
    }

    /// <summary>Upserts every record inside the open transaction. Synchronous CPU work, as in Microsoft.Data.Sqlite.</summary>
    /// <exception cref="SqliteException">SQLite refused a row.</exception>
    public void Upsert(IReadOnlyList<TaskSummary> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            BindText(1, record.TaskId);
            BindText(2, record.OwnerThreadId);
            BindText(3, record.Status.AsString());
            BindText(4, record.ParentContext.TaskId);
            BindText(5, record.ParentContext.RunId);
            BindText(6, record.Name);
            Check(raw.sqlite3_bind_int64(_upsert, 7, record.CreatedAt.ToUnixTimeMilliseconds()));
            Check(record.CompletedAt is { } completedAt
                ? raw.sqlite3_bind_int64(_upsert, 8, completedAt.ToUnixTimeMilliseconds())
                : raw.sqlite3_bind_null(_upsert, 8));
            Check(raw.sqlite3_bind_text(_upsert, 9, Json(record)));

            var result = raw.sqlite3_step(_upsert);
            raw.sqlite3_reset(_upsert);
            if (result != raw.SQLITE_DONE)
            {
                Check(result);
            }
        }
    }

    public async Task DeleteAsync(IReadOnlyList<string> taskIds, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        _delete.Transaction = transaction;
        foreach (var taskId in taskIds)
        {
            _deleteId.Value = taskId;
            await _delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _upsert.Dispose();
        await _jsonWriter.DisposeAsync().ConfigureAwait(false);
        await _delete.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The record's wire-format JSON (as <see cref="TaskJson.SerializeToUtf8Bytes"/>), in the reused buffer.</summary>
    private ReadOnlySpan<byte> Json(TaskSummary record)
    {
        _json.ResetWrittenCount();
        _jsonWriter.Reset(_json);
        TaskSummaryJson.Write(_jsonWriter, record);
        _jsonWriter.Flush();
        return _json.WrittenSpan;
    }

    private void BindText(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_upsert, index) : raw.sqlite3_bind_text(_upsert, index, value));

    private void Check(int resultCode) => SqliteException.ThrowExceptionForRC(resultCode, _db);
}
