using System.Buffers;
using System.Text;
using System.Text.Json;
using BackgroundTasks.Serialization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BackgroundTasks.Sqlite;

/// <summary>
/// The writes of the persistence, prepared once per connection, and what they need to know about the table: the
/// <c>seq</c> (rowid) of every row, by task id. The insert and the updates, which run for every record of every
/// batch, are raw SQLite statements bound by position; the delete goes through ADO.NET.
/// </summary>
/// <remarks>
/// <para>
/// Why raw: Microsoft.Data.Sqlite looks every parameter up by name, and converts it, on every execution, which
/// cost more than the SQL itself and made the writer the bottleneck of a durable store. Its async methods run
/// synchronously, so binding and stepping a prepared statement directly blocks no more than
/// <c>ExecuteNonQueryAsync</c> would. The statements run inside the ADO.NET transaction of the same connection,
/// and SQLite errors become <see cref="SqliteException"/> exactly as ADO.NET reports them.
/// </para>
/// <para>
/// Why the seqs: a record saved before (a task's end, after its spawn) is updated by <c>seq</c>, the table's
/// integer key, which finds the row without comparing task ids as text and leaves the task-id index alone,
/// since the id does not change: a quarter less SQLite work per update than a text search by task id, and
/// about 15 % less writer time per row for the persistence as a whole. The map costs about 30 bytes per row
/// (the id string is the record's own). A batch changes it as it writes, and logs each change so that
/// <see cref="Abandoned"/> can undo them when the transaction rolls back (SQLite then hands the same seqs to the
/// next rows); <see cref="Committed"/> just drops the log. A row the map does not know (in
/// a file written by another process and not loaded, say) is updated by task id once its insert has failed on
/// the unique index.
/// </para>
/// </remarks>
internal sealed class TaskRowCommands : IAsyncDisposable
{
    // The three statements number their parameters alike, so one bind serves any of them: ?1 is the seq, ?2-?9
    // and ?11-?12 the columns, ?10 the task id. A new row takes the next seq (SQLite's own rowid rule: one past the largest).
    private const string InsertSql = """
        INSERT INTO tasks (task_id, owner_thread_id, status, parent_task_id, run_id, name, created_at_ms, completed_at_ms, json,
            started_at_ms, attempt)
        VALUES (?10, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?11, ?12)
        """;

    private const string UpdateColumnsSql = """
        UPDATE tasks SET owner_thread_id = ?2, status = ?3, parent_task_id = ?4, run_id = ?5, name = ?6,
            created_at_ms = ?7, completed_at_ms = ?8, json = ?9, started_at_ms = ?11, attempt = ?12
        """;

    private const string UpdateBySeqSql = UpdateColumnsSql + " WHERE seq = ?1";

    private const string UpdateByIdSql = UpdateColumnsSql + " WHERE task_id = ?10";

    // One JSON buffer and writer, and one buffer for the UTF-8 of the text columns, for every row: the
    // persistence writes from one flow at a time.
    private byte[] _text = new byte[256];
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _jsonWriter;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _updateBySeq;
    private readonly sqlite3_stmt _updateById;
    private readonly SqliteCommand _delete;
    private readonly SqliteParameter _deleteId;

    // The seq of every row, by task id; and, for the open transaction, what each of its changes replaced.
    private readonly Dictionary<string, long> _seqs = new(StringComparer.Ordinal);
    private readonly List<(string TaskId, long? Previous)> _undo = [];

    public TaskRowCommands(SqliteConnection connection)
    {
        _db = connection.Handle!;
        _jsonWriter = new Utf8JsonWriter(_json);
        Check(raw.sqlite3_prepare_v2(_db, InsertSql, out _insert));
        Check(raw.sqlite3_prepare_v2(_db, UpdateBySeqSql, out _updateBySeq));
        Check(raw.sqlite3_prepare_v2(_db, UpdateByIdSql, out _updateById));

        _delete = connection.CreateCommand();
        _delete.CommandText = "DELETE FROM tasks WHERE task_id = $task_id";
        _deleteId = _delete.Parameters.Add("$task_id", SqliteType.Text);
    }

    /// <summary>Forgets every known seq: the table is about to be read whole, and each row told with <see cref="Remember"/>.</summary>
    public void ForgetAll() => _seqs.Clear();

    /// <summary>Notes the seq of a committed row.</summary>
    public void Remember(string taskId, long seq) => _seqs[taskId] = seq;

    /// <summary>Upserts every record inside the open transaction. Synchronous CPU work, as in Microsoft.Data.Sqlite.</summary>
    /// <exception cref="SqliteException">SQLite refused a row.</exception>
    public void Upsert(IReadOnlyList<TaskSummary> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var json = Json(record);
            if (_seqs.TryGetValue(record.TaskId, out var seq))
            {
                Check(raw.sqlite3_bind_int64(_updateBySeq, 1, seq));
                BindColumns(_updateBySeq, record, json);
                Step(_updateBySeq);
                if (raw.sqlite3_changes(_db) > 0)
                {
                    continue;
                }

                // The row is gone (deleted by another tool): insert it again, under a new seq.
            }

            BindText(_insert, 10, record.TaskId);
            BindColumns(_insert, record, json);
            var result = raw.sqlite3_step(_insert);
            var extended = raw.sqlite3_extended_errcode(_db);
            raw.sqlite3_reset(_insert);
            if (result == raw.SQLITE_DONE)
            {
                SetSeq(record.TaskId, raw.sqlite3_last_insert_rowid(_db));
            }
            else if (extended == raw.SQLITE_CONSTRAINT_UNIQUE)
            {
                // A row this map does not know (the table was not loaded through this object): update it by
                // task id. Rare, so its seq is not looked up; later saves of it come here again.
                BindText(_updateById, 10, record.TaskId);
                BindColumns(_updateById, record, json);
                Step(_updateById);
            }
            else
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
            SetSeq(taskId, null);
        }
    }

    /// <summary>The open transaction committed: its changes to the seqs stand.</summary>
    public void Committed() => _undo.Clear();

    /// <summary>The open transaction rolled back: undo its changes to the seqs, newest first.</summary>
    public void Abandoned()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            var (taskId, previous) = _undo[i];
            if (previous is { } seq)
            {
                _seqs[taskId] = seq;
            }
            else
            {
                _seqs.Remove(taskId);
            }
        }

        _undo.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        _insert.Dispose();
        _updateBySeq.Dispose();
        _updateById.Dispose();
        await _jsonWriter.DisposeAsync().ConfigureAwait(false);
        await _delete.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Sets (or, with null, removes) the seq of a task, logging what it replaces for <see cref="Abandoned"/>.</summary>
    private void SetSeq(string taskId, long? seq)
    {
        _undo.Add((taskId, _seqs.TryGetValue(taskId, out var previous) ? previous : null));
        if (seq is { } value)
        {
            _seqs[taskId] = value;
        }
        else
        {
            _seqs.Remove(taskId);
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

    /// <summary>Binds the record's columns, ?2 to ?9 and ?11 to ?12, to <paramref name="statement"/>.</summary>
    private void BindColumns(sqlite3_stmt statement, TaskSummary record, ReadOnlySpan<byte> json)
    {
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
        Check(record.StartedAt is { } startedAt
            ? raw.sqlite3_bind_int64(statement, 11, startedAt.ToUnixTimeMilliseconds())
            : raw.sqlite3_bind_null(statement, 11));
        Check(raw.sqlite3_bind_int(statement, 12, record.Attempt));
    }

    /// <summary>Runs a statement that returns no rows, once.</summary>
    private void Step(sqlite3_stmt statement)
    {
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
        BackgroundTaskStatus.Queued => "queued"u8,
        _ => Encoding.UTF8.GetBytes(status.AsString()),
    };

    private void Check(int resultCode) => SqliteException.ThrowExceptionForRC(resultCode, _db);
}
