using Microsoft.Data.Sqlite;
using BackgroundTasks.Serialization;

namespace BackgroundTasks.Sqlite;

/// <summary>
/// The two writes of the persistence as commands built once per connection, so SQLite prepares their
/// statements once and every row only rebinds parameters.
/// </summary>
internal sealed class TaskRowCommands : IAsyncDisposable
{
    private readonly SqliteCommand _upsert;
    private readonly SqliteParameter _taskId;
    private readonly SqliteParameter _owner;
    private readonly SqliteParameter _status;
    private readonly SqliteParameter _parentTaskId;
    private readonly SqliteParameter _runId;
    private readonly SqliteParameter _name;
    private readonly SqliteParameter _createdAt;
    private readonly SqliteParameter _completedAt;
    private readonly SqliteParameter _json;
    private readonly SqliteCommand _delete;
    private readonly SqliteParameter _deleteId;

    public TaskRowCommands(SqliteConnection connection)
    {
        // An UPSERT updates the row in place; INSERT OR REPLACE would delete and re-insert it, touching the index twice.
        _upsert = connection.CreateCommand();
        _upsert.CommandText = """
            INSERT INTO tasks (task_id, owner_thread_id, status, parent_task_id, run_id, name, created_at_ms, completed_at_ms, json)
            VALUES ($task_id, $owner, $status, $parent_task_id, $run_id, $name, $created_at_ms, $completed_at_ms, $json)
            ON CONFLICT (task_id) DO UPDATE SET
                owner_thread_id = excluded.owner_thread_id, status = excluded.status,
                parent_task_id = excluded.parent_task_id, run_id = excluded.run_id, name = excluded.name,
                created_at_ms = excluded.created_at_ms, completed_at_ms = excluded.completed_at_ms, json = excluded.json
            """;
        _taskId = _upsert.Parameters.Add("$task_id", SqliteType.Text);
        _owner = _upsert.Parameters.Add("$owner", SqliteType.Text);
        _status = _upsert.Parameters.Add("$status", SqliteType.Text);
        _parentTaskId = _upsert.Parameters.Add("$parent_task_id", SqliteType.Text);
        _runId = _upsert.Parameters.Add("$run_id", SqliteType.Text);
        _name = _upsert.Parameters.Add("$name", SqliteType.Text);
        _createdAt = _upsert.Parameters.Add("$created_at_ms", SqliteType.Integer);
        _completedAt = _upsert.Parameters.Add("$completed_at_ms", SqliteType.Integer);
        _json = _upsert.Parameters.Add("$json", SqliteType.Text);

        _delete = connection.CreateCommand();
        _delete.CommandText = "DELETE FROM tasks WHERE task_id = $task_id";
        _deleteId = _delete.Parameters.Add("$task_id", SqliteType.Text);
    }

    public async Task UpsertAsync(IReadOnlyList<TaskSummary> records, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        _upsert.Transaction = transaction;
        foreach (var record in records)
        {
            _taskId.Value = record.TaskId;
            _owner.Value = record.OwnerThreadId;
            _status.Value = record.Status.AsString();
            _parentTaskId.Value = (object?)record.ParentContext.TaskId ?? DBNull.Value;
            _runId.Value = (object?)record.ParentContext.RunId ?? DBNull.Value;
            _name.Value = (object?)record.Name ?? DBNull.Value;
            _createdAt.Value = record.CreatedAt.ToUnixTimeMilliseconds();
            _completedAt.Value = record.CompletedAt is { } completedAt ? completedAt.ToUnixTimeMilliseconds() : DBNull.Value;
            _json.Value = TaskJson.Serialize(record);
            await _upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
        await _upsert.DisposeAsync().ConfigureAwait(false);
        await _delete.DisposeAsync().ConfigureAwait(false);
    }
}
