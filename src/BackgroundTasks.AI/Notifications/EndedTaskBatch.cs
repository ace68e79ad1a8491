namespace BackgroundTasks.AI;

/// <summary>What one notice reports: the ended tasks it lists, oldest end first, and whether some could not be tracked.</summary>
/// <param name="Tasks">The ended tasks, reserved for this notice.</param>
/// <param name="Gap">
/// Whether events of the thread were lost before the client could take them in (more ended at once than it holds and
/// the manager's replay ring keeps), so other tasks may have ended unlisted.
/// </param>
internal sealed record EndedTaskBatch(IReadOnlyList<EndedTask> Tasks, bool Gap)
{
    public static EndedTaskBatch Empty { get; } = new([], Gap: false);

    public bool IsEmpty => Tasks.Count == 0 && !Gap;
}
