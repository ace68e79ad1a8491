using System.Buffers;
using System.Text;
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
    // Both statements number their parameters alike, so one bind serves either; the update leaves ?1's column
    // alone, and only the upsert has ?10, the insert order, which an existing row keeps.
    private const string UpsertSql = """
        INSERT INTO tasks (task_id, owner_thread_id, status, parent_task_id, run_id, name, created_at_ms, completed_at_ms, json, seq)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
        ON CONFLICT (task_id) DO UPDATE SET
            owner_thread_id = excluded.owner_thread_id, status = excluded.status,
            parent_task_id = excluded.parent_task_id, run_id = excluded.run_id, name = excluded.name,
            created_at_ms = excluded.created_at_ms, completed_at_ms = excluded.completed_at_ms, json = excluded.json
        """;

    private const string UpdateSql = """
        UPDATE tasks SET owner_thread_id = ?2, status = ?3, parent_task_id = ?4, run_id = ?5, name = ?6,
            created_at_ms = ?7, completed_at_ms = ?8, json = ?9
        WHERE task_id = ?1
        """;

    // One JSON buffer and writer, and one buffer for the UTF-8 of the text columns, for every row: the
    // persistence writes from one flow at a time.
    private byte[] _text = new byte[256];
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _jsonWriter;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _upsert;
    private readonly sqlite3_stmt _update;
    private readonly SqliteCommand _delete;
    private readonly SqliteParameter _deleteId;

    // The seq of the next inserted row. A rolled-back batch leaves a gap, which is harmless: only the order counts.
    private long _nextSeq;

    public TaskRowCommands(SqliteConnection connection)
    {
        _db = connection.Handle!;
        _jsonWriter = new Utf8JsonWriter(_json);

        // An UPSERT updates the row in place; INSERT OR REPLACE would delete and re-insert it, touching the index twice.
        Check(raw.sqlite3_prepare_v2(_db, UpsertSql, out _upsert));
        Check(raw.sqlite3_prepare_v2(_db, UpdateSql, out _update));
        _nextSeq = LastSeq() + 1;

        _delete = connection.CreateCommand();
        _delete.CommandText = "DELETE FROM tasks WHERE task_id = $task_id";
        _deleteId = _delete.Parameters.Add("$task_id", SqliteType.Text);
    }

    /// <summary>Upserts every record inside the open transaction. Synchronous CPU work, as in Microsoft.Data.Sqlite.</summary>
    /// <remarks>
    /// A Running record is almost always a spawn, so it goes straight to the upsert, whose insert path is a plain
    /// insert. Any other record has almost always been saved as Running before, so it is a plain UPDATE by
    /// primary key (cheaper than the upsert, which first tries the insert and fails on the key); only when that
    /// finds no row (a record restored into the store, say) does the upsert follow.
    /// </remarks>
    /// <exception cref="SqliteException">SQLite refused a row.</exception>
    public void Upsert(IReadOnlyList<TaskSummary> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var json = Json(record);
            if (record.Status != BackgroundTaskStatus.Running)
            {
                Execute(_update, record, json);
                if (raw.sqlite3_changes(_db) > 0)
                {
                    continue;
                }
            }

            Check(raw.sqlite3_bind_int64(_upsert, 10, _nextSeq++));
            Execute(_upsert, record, json);
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
        _update.Dispose();
        await _jsonWriter.DisposeAsync().ConfigureAwait(false);
        await _delete.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The largest seq in the table, or 0 when it is empty. A scan, once per open: seq has no index to keep up.</summary>
    private long LastSeq()
    {
        Check(raw.sqlite3_prepare_v2(_db, "SELECT coalesce(max(seq), 0) FROM tasks", out var statement));
        using (statement)
        {
            var result = raw.sqlite3_step(statement);
            if (result != raw.SQLITE_ROW)
            {
                Check(result);
            }

            return raw.sqlite3_column_int64(statement, 0);
        }
    }

    /// <summary>The record's <c>json</c> column (<see cref="TaskRowFormat.WriteRest"/>), in the reused buffer.</summary>
    private ReadOnlySpan<byte> Json(TaskSummary record)
    {
        _json.ResetWrittenCount();
        _jsonWriter.Reset(_json);
        TaskRowFormat.WriteRest(_jsonWriter, record);
        _jsonWriter.Flush();
        return _json.WrittenSpan;
    }

    /// <summary>Binds the record's columns to <paramref name="statement"/> by position and runs it once.</summary>
    private void Execute(sqlite3_stmt statement, TaskSummary record, ReadOnlySpan<byte> json)
    {
        BindText(statement, 1, record.TaskId);
        BindText(statement, 2, record.OwnerThreadId);
        Check(raw.sqlite3_bind_text(statement, 3, StatusUtf8(record.Status)));
        BindText(statement, 4, record.ParentContext.TaskId);
        BindText(statement, 5, record.ParentContext.RunId);
        BindText(statement, 6, record.Name);
        Check(raw.sqlite3_bind_int64(statement, 7, record.CreatedAt.ToUnixTimeMilliseconds()));
        Check(record.CompletedAt is { } completedAt
            ? raw.sqlite3_bind_int64(statement, 8, completedAt.ToUnixTimeMilliseconds())
            : raw.sqlite3_bind_null(statement, 8));
        Check(raw.sqlite3_bind_text(statement, 9, json));

        var result = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (result != raw.SQLITE_DONE)
        {
            Check(result);
        }
    }

    /// <summary>
    /// Binds a text column from the reused buffer. The string overload of SQLitePCL encodes into a new array on
    /// every call (five per row); the span overload hands SQLite a copy to keep (SQLITE_TRANSIENT), so the
    /// buffer is free again for the next column as soon as the call returns.
    /// </summary>
    private void BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(statement, index));
            return;
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (maxBytes > _text.Length)
        {
            _text = new byte[Math.Max(maxBytes, _text.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _text);
        Check(raw.sqlite3_bind_text(statement, index, _text.AsSpan(0, length)));
    }

    /// <summary>The status column's text (as <see cref="BackgroundTaskStatusExtensions.AsString"/>), already in UTF-8.</summary>
    private static ReadOnlySpan<byte> StatusUtf8(BackgroundTaskStatus status) => status switch
    {
        BackgroundTaskStatus.Running => "running"u8,
        BackgroundTaskStatus.Completed => "completed"u8,
        BackgroundTaskStatus.Failed => "failed"u8,
        BackgroundTaskStatus.Cancelled => "cancelled"u8,
        _ => Encoding.UTF8.GetBytes(status.AsString()),
    };

    private void Check(int resultCode) => SqliteException.ThrowExceptionForRC(resultCode, _db);
}
