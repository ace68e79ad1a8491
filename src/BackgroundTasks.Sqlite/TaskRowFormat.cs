using System.Text.Json;
using BackgroundTasks.Serialization;
using Microsoft.Data.Sqlite;

namespace BackgroundTasks.Sqlite;

/// <summary>
/// How a <see cref="TaskSummary"/> is laid out in a row of <c>tasks</c>: every field that queries need in its own
/// column, and the rest in <c>json</c>, so each field is stored once.
/// </summary>
/// <remarks>
/// <para>
/// Columns: <c>task_id</c>, <c>owner_thread_id</c>, <c>status</c> (the wire name, such as <c>completed</c>),
/// <c>parent_task_id</c>, <c>run_id</c>, <c>name</c>, <c>created_at_ms</c> and <c>completed_at_ms</c> (Unix
/// milliseconds). <c>json</c> is one object with <c>task_type</c> and <c>description</c>, and <c>error</c>,
/// <c>result</c>, <c>call_id</c>, <c>agent_id</c> and <c>progress</c> when they are set, under their wire-format names.
/// Progress is there rather than in columns of its own: nothing queries it, and a file of schema version 2 reads it
/// without a migration (an older reader ignores the property).
/// </para>
/// <para>
/// Why not the whole record as JSON: a row that repeats its columns in its JSON is twice the size, and row size
/// is what a durable store pays for on every write (encoding, the B-tree, the write-ahead log). Keeping the rest
/// small measured about a quarter less writer time per row. It also leaves one place to look for each field,
/// so a column edited by a tool cannot disagree with a copy inside the JSON.
/// </para>
/// </remarks>
internal static class TaskRowFormat
{
    /// <summary>The columns <see cref="Read"/> expects, in this order.</summary>
    public const string SelectColumns =
        "task_id, owner_thread_id, status, parent_task_id, run_id, name, created_at_ms, completed_at_ms, json";

    /// <summary>Writes the <c>json</c> column of <paramref name="record"/>: the fields without a column of their own.</summary>
    public static void WriteRest(Utf8JsonWriter writer, TaskSummary record)
    {
        writer.WriteStartObject();
        writer.WriteString(TaskSummaryJson.TaskType, record.TaskType);
        writer.WriteString(TaskSummaryJson.Description, record.Description);
        TaskSummaryJson.WriteOptionalString(writer, TaskSummaryJson.Error, record.Error);
        TaskSummaryJson.WriteOptionalValue(writer, TaskSummaryJson.Result, record.Result);
        TaskSummaryJson.WriteOptionalString(writer, TaskSummaryJson.CallId, record.ParentContext?.CallId);
        TaskSummaryJson.WriteOptionalString(writer, TaskSummaryJson.AgentId, record.ParentContext?.AgentId);
        TaskSummaryJson.WriteProgress(writer, record.Progress);
        writer.WriteEndObject();
    }

    /// <summary>Reads the record at the reader's current row, selected with <see cref="SelectColumns"/>.</summary>
    /// <exception cref="InvalidDataException">A column or the JSON is missing, mistyped or invalid; the message names the file, the task and the problem.</exception>
    public static TaskSummary Read(SqliteDataReader row, string databasePath)
    {
        var taskId = row.IsDBNull(0) ? "(null)" : Convert.ToString(row.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!;
        try
        {
            var statusName = RequiredText(row, 2, "status");
            if (!BackgroundTaskStatusNames.TryParse(statusName, out var status))
            {
                throw new JsonException(Messages.UnknownStatus(statusName, Messages.TaskSubject(taskId)));
            }

            using var document = ParseJson(RequiredText(row, 8, "json"));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException(Messages.RowJsonNotObject(document.RootElement.ValueKind));
            }

            var rest = new JsonObjectReader(document.RootElement, Messages.TaskSubject(taskId));
            var parent = new TaskParentContext
            {
                TaskId = OptionalText(row, 3, "parent_task_id"),
                RunId = OptionalText(row, 4, "run_id"),
                CallId = rest.OptionalString(TaskSummaryJson.CallId),
                AgentId = rest.OptionalString(TaskSummaryJson.AgentId),
            };

            return new TaskSummary
            {
                TaskId = RequiredText(row, 0, "task_id", nonEmpty: true),
                OwnerThreadId = RequiredText(row, 1, "owner_thread_id", nonEmpty: true),
                TaskType = rest.RequiredString(TaskSummaryJson.TaskType),
                Name = OptionalText(row, 5, "name"),
                Description = rest.RequiredString(TaskSummaryJson.Description),
                Status = status,
                Error = rest.OptionalString(TaskSummaryJson.Error),
                Result = rest.OptionalValue(TaskSummaryJson.Result),
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(RequiredInteger(row, 6, "created_at_ms")),
                CompletedAt = row.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(RequiredInteger(row, 7, "completed_at_ms")),

                // Share the singleton for an empty lineage, as the JSON reader does.
                ParentContext = parent.IsEmpty ? TaskParentContext.None : parent,
                Progress = TaskSummaryJson.ReadProgress(rest),
            };
        }
        catch (Exception exception) when (exception is JsonException or FormatException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException(Messages.UnreadableRow(databasePath, taskId, exception.Message), exception);
        }
    }

    private static JsonDocument ParseJson(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new JsonException(Messages.RowJsonInvalid(exception.Message), exception);
        }
    }

    // SQLite columns take any type whatever their declared one, so each is checked before it is read: reading a
    // text as an integer would quietly give 0.
    private static string RequiredText(SqliteDataReader row, int ordinal, string column, bool nonEmpty = false)
    {
        var text = OptionalText(row, ordinal, column) ?? throw new FormatException(Messages.ColumnNull(column));
        return nonEmpty && text.Length == 0 ? throw new FormatException(Messages.ColumnEmpty(column)) : text;
    }

    private static string? OptionalText(SqliteDataReader row, int ordinal, string column) =>
        row.IsDBNull(ordinal) ? null
        : row.GetFieldType(ordinal) == typeof(string) ? row.GetString(ordinal)
        : throw new FormatException(Messages.ColumnWrongType(column, "text", StorageClass(row.GetFieldType(ordinal))));

    private static long RequiredInteger(SqliteDataReader row, int ordinal, string column) =>
        row.IsDBNull(ordinal) ? throw new FormatException(Messages.ColumnNull(column))
        : row.GetFieldType(ordinal) == typeof(long) ? row.GetInt64(ordinal)
        : throw new FormatException(Messages.ColumnWrongType(column, "an integer", StorageClass(row.GetFieldType(ordinal))));

    /// <summary>The SQLite storage class of a value, from the .NET type Microsoft.Data.Sqlite reads it as.</summary>
    private static string StorageClass(Type type) =>
        type == typeof(long) ? "an integer" : type == typeof(double) ? "a real" : type == typeof(string) ? "text" : "a blob";
}
