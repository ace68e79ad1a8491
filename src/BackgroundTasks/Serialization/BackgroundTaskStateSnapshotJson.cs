using System.Buffers;
using System.Collections.ObjectModel;
using System.Text;
using System.Text.Json;

namespace BackgroundTasks.Serialization;

/// <summary>The wire format of <see cref="BackgroundTaskStateSnapshot"/>: <c>{"tasks":{"bg_0":{...}}}</c>.</summary>
/// <remarks>
/// <para>
/// Each value under "tasks" is a task record in the format of <see cref="TaskSummaryJson"/>. Tasks are written in
/// the snapshot dictionary's enumeration order and read back in document order.
/// </para>
/// <para>
/// A key must equal its record's task_id. A disagreement is an error both ways rather than "the key wins":
/// it can only come from a hand-edited or corrupted file, and silently re-keying a record would give a task
/// the identity of another. <see cref="Write"/> refuses such a snapshot so that it never writes JSON that
/// <see cref="Read(JsonElement)"/> would reject. A key listed twice is an error as well.
/// </para>
/// </remarks>
internal static class BackgroundTaskStateSnapshotJson
{
    internal const string Tasks = "tasks";

    /// <summary>Writes the snapshot as one JSON object.</summary>
    /// <exception cref="InvalidOperationException">A key disagrees with its record's task id, or its record is null.</exception>
    public static void Write(Utf8JsonWriter writer, BackgroundTaskStateSnapshot snapshot)
    {
        writer.WriteStartObject();
        writer.WriteStartObject(Tasks);
        foreach ((string key, TaskSummary summary) in snapshot.Tasks)
        {
            if (summary is null)
            {
                throw new InvalidOperationException(Messages.SnapshotEntryNull(key));
            }

            if (!string.Equals(key, summary.TaskId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(Messages.SnapshotKeyMismatch(key, summary.TaskId));
            }

            writer.WritePropertyName(key);
            TaskSummaryJson.Write(writer, summary);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The snapshot as JSON text.</summary>
    /// <exception cref="InvalidOperationException">A key disagrees with its record's task id, or its record is null.</exception>
    public static string ToJson(BackgroundTaskStateSnapshot snapshot)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, snapshot);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a snapshot from JSON text.</summary>
    /// <exception cref="JsonException">The text is not a valid snapshot; the message names what is wrong.</exception>
    public static BackgroundTaskStateSnapshot FromJson(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new JsonException(Messages.SnapshotMalformed(ex.Message), ex);
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    /// <summary>Reads a snapshot from a JSON value.</summary>
    /// <exception cref="JsonException">The value is not a valid snapshot; the message names what is wrong.</exception>
    public static BackgroundTaskStateSnapshot Read(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            throw new JsonException(Messages.SnapshotIsNull);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException(Messages.SnapshotNotObject(element.ValueKind));
        }

        if (!element.TryGetProperty(Tasks, out JsonElement tasks))
        {
            throw new JsonException(Messages.MissingProperty(Tasks, Messages.SnapshotSubject));
        }

        if (tasks.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException(Messages.WrongKind(Tasks, Messages.SnapshotSubject, "an object keyed by task id", tasks.ValueKind));
        }

        var summaries = new Dictionary<string, TaskSummary>(StringComparer.Ordinal);
        foreach (JsonProperty entry in tasks.EnumerateObject())
        {
            TaskSummary summary = TaskSummaryJson.Read(entry.Value, entry.Name);
            if (!string.Equals(entry.Name, summary.TaskId, StringComparison.Ordinal))
            {
                throw new JsonException(Messages.SnapshotKeyMismatch(entry.Name, summary.TaskId));
            }

            if (!summaries.TryAdd(entry.Name, summary))
            {
                throw new JsonException(Messages.SnapshotDuplicateTask(entry.Name));
            }
        }

        return new BackgroundTaskStateSnapshot(new ReadOnlyDictionary<string, TaskSummary>(summaries));
    }
}
