using System.Text.Json;

namespace BackgroundTasks.Serialization;

/// <summary>The snake_case wire format of <see cref="TaskSummary"/> and <see cref="TaskParentContext"/>.</summary>
/// <remarks>
/// <para>
/// Written in this order: task_id, owner_thread_id, task_type, name, description, status, error, result,
/// created_at_ms, completed_at_ms, parent_context, started_at_ms, attempt. Omitted: started_at_ms when null, attempt when below 2, name, error, result and completed_at_ms when null
/// (a result holding JSON null counts as null), and parent_context when it is empty; inside parent_context each
/// of task_id, run_id, call_id, agent_id is omitted when null.
/// </para>
/// <para>
/// Read leniently where it costs nothing (any property order, unknown properties ignored, optional properties
/// may also be JSON null) and strictly where a wrong value would corrupt the record: task_id and owner_thread_id
/// must be non-empty strings, task_type and description strings, status one of the four lower-case wire names,
/// and times whole Unix milliseconds. Times are read with a zero (UTC) offset, so a summary round-trips exactly
/// when its times have millisecond precision. The names are fixed and do not follow a serializer naming policy.
/// </para>
/// </remarks>
internal static class TaskSummaryJson
{
    internal const string TaskId = "task_id";
    internal const string OwnerThreadId = "owner_thread_id";
    internal const string TaskType = "task_type";
    internal const string Name = "name";
    internal const string Description = "description";
    internal const string Status = "status";
    internal const string Error = "error";
    internal const string Result = "result";
    internal const string CreatedAt = "created_at_ms";
    internal const string CompletedAt = "completed_at_ms";
    internal const string ParentContext = "parent_context";
    internal const string RunId = "run_id";
    internal const string CallId = "call_id";
    internal const string AgentId = "agent_id";
    internal const string StartedAt = "started_at_ms";
    internal const string Attempt = "attempt";
    internal const string Progress = "progress";
    internal const string Fraction = "fraction";
    internal const string Message = "message";

    /// <summary>Writes <paramref name="summary"/> as one JSON object.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The summary's status is not a defined value.</exception>
    public static void Write(Utf8JsonWriter writer, TaskSummary summary)
    {
        writer.WriteStartObject();
        writer.WriteString(TaskId, summary.TaskId);
        writer.WriteString(OwnerThreadId, summary.OwnerThreadId);
        writer.WriteString(TaskType, summary.TaskType);
        if (summary.Name is not null)
        {
            writer.WriteString(Name, summary.Name);
        }

        writer.WriteString(Description, summary.Description);
        writer.WriteString(Status, summary.Status.AsString());
        if (summary.Error is not null)
        {
            writer.WriteString(Error, summary.Error);
        }

        WriteOptionalValue(writer, Result, summary.Result);
        writer.WriteNumber(CreatedAt, summary.CreatedAt.ToUnixTimeMilliseconds());
        if (summary.CompletedAt is { } completedAt)
        {
            writer.WriteNumber(CompletedAt, completedAt.ToUnixTimeMilliseconds());
        }

        // A null ParentContext can only come from `init` with null!; treat it as the empty lineage it stands for.
        if (summary.ParentContext is { IsEmpty: false } parent)
        {
            writer.WriteStartObject(ParentContext);
            WriteOptionalString(writer, TaskId, parent.TaskId);
            WriteOptionalString(writer, RunId, parent.RunId);
            WriteOptionalString(writer, CallId, parent.CallId);
            WriteOptionalString(writer, AgentId, parent.AgentId);
            writer.WriteEndObject();
        }

        if (summary.StartedAt is { } startedAt)
        {
            writer.WriteNumber(StartedAt, startedAt.ToUnixTimeMilliseconds());
        }

        if (summary.Attempt >= 2)
        {
            writer.WriteNumber(Attempt, summary.Attempt);
        }

        WriteProgress(writer, summary.Progress);
        writer.WriteEndObject();
    }

    /// <summary>Reads a summary from a JSON value.</summary>
    /// <param name="element">The JSON value.</param>
    /// <param name="key">The snapshot key the record was found under, used to name it in messages; or null.</param>
    /// <exception cref="JsonException">The value is not a valid summary; the message names what is wrong.</exception>
    public static TaskSummary Read(JsonElement element, string? key = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException(Messages.RecordNotObject(Messages.TaskSubject(key), element.ValueKind));
        }

        string? idForMessages = key;
        if (idForMessages is null
            && element.TryGetProperty(TaskId, out JsonElement id)
            && id.ValueKind == JsonValueKind.String
            && id.GetString() is { Length: > 0 } idText)
        {
            idForMessages = idText;
        }

        var reader = new JsonObjectReader(element, Messages.TaskSubject(idForMessages));
        string taskId = reader.RequiredString(TaskId, nonEmpty: true);
        string ownerThreadId = reader.RequiredString(OwnerThreadId, nonEmpty: true);
        string taskType = reader.RequiredString(TaskType);
        string? name = reader.OptionalString(Name);
        string description = reader.RequiredString(Description);
        string statusName = reader.RequiredString(Status);
        if (!BackgroundTaskStatusNames.TryParse(statusName, out BackgroundTaskStatus status))
        {
            throw new JsonException(Messages.UnknownStatus(statusName, reader.Subject));
        }

        var startedAt = reader.OptionalUnixMilliseconds(StartedAt);
        return new TaskSummary
        {
            TaskId = taskId,
            OwnerThreadId = ownerThreadId,
            TaskType = taskType,
            Name = name,
            Description = description,
            Status = status,
            Error = reader.OptionalString(Error),
            Result = reader.OptionalValue(Result),
            CreatedAt = reader.RequiredUnixMilliseconds(CreatedAt),
            CompletedAt = reader.OptionalUnixMilliseconds(CompletedAt),
            ParentContext = ReadParentContext(reader),
            StartedAt = startedAt,

            // Omitted means below 2: 1 once the body has started, 0 for a task that never started.
            Attempt = reader.OptionalInt32(Attempt) ?? (startedAt is null ? 0 : 1),
            Progress = ReadProgress(reader),
        };
    }

    /// <summary>Writes <c>"progress":{"fraction","message"}</c> (each omitted when null) unless the progress is null.</summary>
    internal static void WriteProgress(Utf8JsonWriter writer, TaskProgress? progress)
    {
        if (progress is null)
        {
            return;
        }

        writer.WriteStartObject(Progress);
        if (progress.Fraction is { } fraction)
        {
            writer.WriteNumber(Fraction, fraction);
        }

        WriteOptionalString(writer, Message, progress.Message);
        writer.WriteEndObject();
    }

    /// <summary>Reads an optional <c>"progress"</c> object of a record (a summary, or the rest of a database row).</summary>
    /// <exception cref="JsonException">It is not an object, its fraction is not a number in [0, 1], or its message not a string.</exception>
    internal static TaskProgress? ReadProgress(JsonObjectReader record)
    {
        if (record.OptionalObject(Progress, $"the progress of {record.Subject}") is not { } reader)
        {
            return null;
        }

        var fraction = reader.OptionalDouble(Fraction);
        if (fraction is { } value && !(value >= 0 && value <= 1))
        {
            throw new JsonException(Messages.FractionOutOfRange(reader.Subject, value));
        }

        return new TaskProgress(fraction, reader.OptionalString(Message));
    }

    /// <summary>Writes a JSON value unless it is null, JSON null or undefined.</summary>
    internal static void WriteOptionalValue(Utf8JsonWriter writer, string property, JsonElement? value)
    {
        if (value is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } element)
        {
            writer.WritePropertyName(property);
            element.WriteTo(writer);
        }
    }

    /// <summary>Writes a string property unless the value is null.</summary>
    internal static void WriteOptionalString(Utf8JsonWriter writer, string property, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(property, value);
        }
    }

    private static TaskParentContext ReadParentContext(JsonObjectReader summary)
    {
        if (summary.OptionalObject(ParentContext, $"the parent context of {summary.Subject}") is not { } reader)
        {
            return TaskParentContext.None;
        }

        var parent = new TaskParentContext
        {
            TaskId = reader.OptionalString(TaskId),
            RunId = reader.OptionalString(RunId),
            CallId = reader.OptionalString(CallId),
            AgentId = reader.OptionalString(AgentId),
        };

        // Share the singleton for `{}` so readers can compare against None by reference as well as by value.
        return parent.IsEmpty ? TaskParentContext.None : parent;
    }
}
