using System.Globalization;
using Spectre.Console;

namespace BackgroundTasks.Demo;

/// <summary>
/// The interactive view: a tree of tasks, each with its status and a progress bar, above the journal's
/// last lines; redrawn whenever the board changes (it is fed by Connect and Events, never polled).
/// </summary>
internal static class LiveView
{
    private const int BarWidth = 24;
    private const int JournalLines = 8;

    // Caps redraws at about 25 a second; changes in between are drawn together.
    private static readonly TimeSpan s_frame = TimeSpan.FromMilliseconds(40);

    public static async Task<bool> RunAsync(IAnsiConsole console, TaskBoard board, Func<Task<bool>> scenario)
    {
        var run = Task.Run(scenario);
        await console.Live(Render(board))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(board.Changed, run).ConfigureAwait(false);
                    context.UpdateTarget(Render(board));
                    context.Refresh();
                    await Task.Delay(s_frame).ConfigureAwait(false);
                }

                context.UpdateTarget(Render(board));
                context.Refresh();
            }).ConfigureAwait(false);
        return await run.ConfigureAwait(false);
    }

    private static Rows Render(TaskBoard board)
    {
        var rows = board.Rows;
        var now = DateTimeOffset.UtcNow;
        var tree = new Tree($"[bold]{ResearchScenario.OwnerThreadId}[/] [grey](owner thread, t+{board.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s)[/]")
            .Guide(TreeGuide.Line);
        var byParent = rows.ToLookup(row => row.ParentId ?? string.Empty);
        var known = rows.Select(row => row.TaskId).ToHashSet(StringComparer.Ordinal);
        foreach (var root in rows.Where(row => row.ParentId is null || !known.Contains(row.ParentId)))
        {
            AddNode(tree.AddNode(Label(root, byParent, now)), root, byParent, now);
        }

        var journal = new Panel(new Markup(Markup.Escape(string.Join('\n', board.LastLines(JournalLines)).PadRight(1))))
            .Header("journal").Border(BoxBorder.Rounded).Expand();
        return new Rows(tree, new Text(string.Empty), journal);
    }

    private static void AddNode(TreeNode node, TaskRow row, ILookup<string, TaskRow> byParent, DateTimeOffset now)
    {
        foreach (var child in byParent[row.TaskId])
        {
            AddNode(node.AddNode(Label(child, byParent, now)), child, byParent, now);
        }
    }

    private static Markup Label(TaskRow row, ILookup<string, TaskRow> byParent, DateTimeOffset now)
    {
        var summary = row.Summary;
        var percent = Percent(row, byParent);
        var filled = percent * BarWidth / 100;
        var color = StatusStyle.Of(summary.Status);
        var bar = $"[{color}]{new string('━', filled)}[/][grey23]{new string('━', BarWidth - filled)}[/]";
        var seconds = row.Elapsed(now).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var error = summary.Error is { } text ? $" [red]{Markup.Escape(text)}[/]" : string.Empty;
        return new Markup(
            $"[bold]{summary.TaskId,-5}[/] [blue]{Markup.Escape(summary.TaskType),-9}[/] {Markup.Escape(Shorten(row.Label))} {bar} {percent,3}% [{color}]{summary.Status.AsString()}[/] [grey]{seconds}s[/]{error}");
    }

    /// <summary>A task's own progress; an agent, which reports none, shows the mean of its children's.</summary>
    private static int Percent(TaskRow row, ILookup<string, TaskRow> byParent)
    {
        if (row.Summary.Status == BackgroundTaskStatus.Completed)
        {
            return 100;
        }

        var children = byParent[row.TaskId].ToList();
        return row.Percent > 0 || children.Count == 0 ? row.Percent : (int)children.Average(child => Percent(child, byParent));
    }

    private static string Shorten(string text) => text.Length <= 36 ? text.PadRight(36) : string.Concat(text.AsSpan(0, 35), "…");
}
