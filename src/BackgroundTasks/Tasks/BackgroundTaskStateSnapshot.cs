using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using BackgroundTasks.Serialization;

namespace BackgroundTasks;

/// <summary>A point-in-time copy of every task in a store.</summary>
/// <param name="Tasks">The tasks, keyed by task id.</param>
/// <remarks>
/// <para>
/// JSON: <c>{"tasks":{"bg_0":{...}}}</c>, each value a task record in the format described on
/// <see cref="TaskSummary"/>. <see cref="JsonSerializer"/> uses the same format as <see cref="ToJson"/> and
/// <see cref="FromJson"/>.
/// </para>
/// <para>
/// Each key must equal its record's task id. A disagreement is an error in both directions, never "the key
/// wins": it can only come from a corrupted or hand-edited document, and re-keying a record silently would give
/// it another task's identity.
/// </para>
/// <para>
/// Record equality compares <see cref="Tasks"/> by reference; compare the contents to compare two snapshots.
/// </para>
/// </remarks>
[JsonConverter(typeof(BackgroundTaskStateSnapshotJsonConverter))]
public sealed record BackgroundTaskStateSnapshot(IReadOnlyDictionary<string, TaskSummary> Tasks)
{
    /// <summary>The tasks, keyed by task id.</summary>
    /// <exception cref="ArgumentNullException">The dictionary given to the constructor is null.</exception>
    public IReadOnlyDictionary<string, TaskSummary> Tasks { get; init; } =
        Tasks ?? throw new ArgumentNullException(nameof(Tasks));

    /// <summary>A snapshot with no tasks.</summary>
    public static BackgroundTaskStateSnapshot Empty { get; } = new(ReadOnlyDictionary<string, TaskSummary>.Empty);

    /// <summary>The snapshot as JSON: <c>{"tasks":{"bg_0":{...}}}</c>.</summary>
    /// <returns>The JSON text, compact, with tasks in the enumeration order of <see cref="Tasks"/>.</returns>
    /// <exception cref="InvalidOperationException">
    /// A key of <see cref="Tasks"/> differs from its record's task id, or its record is null.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A record's status is not a defined value.</exception>
    public string ToJson() => BackgroundTaskStateSnapshotJson.ToJson(this);

    /// <summary>Reads a snapshot from JSON written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The snapshot; its <see cref="Tasks"/> is read-only and in document order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="JsonException">
    /// The text is not a valid snapshot. The message names what is wrong: the literal <c>null</c>, malformed JSON,
    /// a missing or mistyped "tasks" property, a task key listed twice or disagreeing with its record's task_id,
    /// and, naming the task, a record that is not an object, a missing or mistyped required field, an unknown
    /// status, or a time that is not a whole number of Unix milliseconds.
    /// </exception>
    public static BackgroundTaskStateSnapshot FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return BackgroundTaskStateSnapshotJson.FromJson(json);
    }
}
