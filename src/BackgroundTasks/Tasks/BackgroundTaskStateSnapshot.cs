namespace BackgroundTasks;

/// <summary>A point-in-time copy of every task in a store.</summary>
/// <param name="Tasks">The tasks, keyed by task id.</param>
public sealed record BackgroundTaskStateSnapshot(IReadOnlyDictionary<string, TaskSummary> Tasks)
{
    /// <summary>A snapshot with no tasks.</summary>
    public static BackgroundTaskStateSnapshot Empty { get; } = new(new Dictionary<string, TaskSummary>());

    /// <summary>The snapshot as JSON: <c>{"tasks":{"bg_0":{...}}}</c>.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => throw new NotImplementedException();

    /// <summary>Reads a snapshot from JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The snapshot.</returns>
    public static BackgroundTaskStateSnapshot FromJson(string json) => throw new NotImplementedException();
}
