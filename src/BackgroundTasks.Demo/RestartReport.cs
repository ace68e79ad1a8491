using System.Globalization;

namespace BackgroundTasks.Demo;

/// <summary>
/// What <c>--restart</c> shows: the tasks a previous run left Running when it was killed. Opening the
/// database turns them Failed with the orphan error (API.md, "Durable store") and lists them in
/// <see cref="TaskStateStore.OrphanedOnOpen"/>.
/// </summary>
internal static class RestartReport
{
    public static IReadOnlyList<string> Lines(TaskStateStore store, string storeDescription)
    {
        // The tasks this open found Running, not every orphan of every earlier restart.
        List<TaskSummary> orphans = [.. store.OrphanedOnOpen.OrderBy(summary => summary.CreatedAt)];
        var lines = new List<string> { $"restart: looking for tasks a killed run left behind in {storeDescription}" };

        if (orphans.Count == 0)
        {
            lines.Add("restart: no orphaned tasks found");
            return lines;
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"restart: {orphans.Count} orphaned task(s), now recorded as failed:"));
        foreach (var orphan in orphans)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  orphan {orphan.TaskId} {orphan.TaskType} {orphan.Name ?? orphan.Description} (started {orphan.CreatedAt:yyyy-MM-dd HH:mm:ss}, thread {orphan.OwnerThreadId})"));
        }

        return lines;
    }
}
