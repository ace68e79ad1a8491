using System.Globalization;

namespace BackgroundTasks.Demo;

/// <summary>
/// What <c>--restart</c> shows: the tasks a previous run left Running when it was killed. Binding the
/// manager to a store opened from a database turns them Failed with the orphan error (API.md, "Durable store").
/// </summary>
internal static class RestartReport
{
    /// <summary>The error API.md fixes for a task that was Running when its runtime went away.</summary>
    public const string OrphanedError = BackgroundTaskManager.OrphanedTaskError;

    public static IReadOnlyList<string> Lines(TaskStateStore store, string storeDescription, bool durable)
    {
        // The tasks this open found Running, not every orphan of every earlier restart.
        var orphans = store.OrphanedOnOpen.Count > 0
            ? [.. store.OrphanedOnOpen.OrderBy(summary => summary.CreatedAt)]
            : store.Tasks.Items.Where(summary => summary.Error == OrphanedError).OrderBy(summary => summary.CreatedAt).ToList();
        var lines = new List<string> { $"restart: looking for tasks a killed run left behind in {storeDescription}" };
        if (!durable)
        {
            lines.Add("restart: an in-memory store starts empty, so there is nothing to recover; run against a database file to see a killed run's tasks here");
        }

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
