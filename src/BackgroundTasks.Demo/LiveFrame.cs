using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace BackgroundTasks.Demo;

/// <summary>
/// One frame of the live view, laid out for a console of a given size: a tree of tasks in columns (the tree's
/// guides inside the first column, so every bar starts at the same column whatever the depth), then the
/// journal's last lines. Every line is cut to the width, so nothing wraps, and the journal shrinks to fit the height.
/// </summary>
internal static class LiveFrame
{
    private const int MinBar = 8;
    private const int MaxBar = 24;
    private const int MaxLabel = 72;
    /// <summary>The most journal lines a frame shows; it shows fewer when the console is short.</summary>
    public const int MaxJournalLines = 8;

    // "100%", "cancelled", "123.4s"
    private const int PercentWidth = 4;
    private const int StatusWidth = 9;
    private const int TimeWidth = 6;

    public static IRenderable Render(IReadOnlyList<TaskRow> rows, IReadOnlyList<string> journal, TimeSpan elapsed, DateTimeOffset now, int width, int height)
    {
        var tree = TaskTree.Flatten(rows);
        var taskWidth = tree.Select(node => node.Guide.Length + node.Row.TaskId.Length).DefaultIfEmpty(4).Max();
        var kindWidth = rows.Select(row => row.Summary.TaskType.Length).DefaultIfEmpty(4).Max();
        var rest = width - taskWidth - kindWidth - PercentWidth - StatusWidth - TimeWidth - (6 * TextCells.Gap.Length);
        var barWidth = Math.Clamp(rest / 3, MinBar, MaxBar);
        var labelWidth = Math.Clamp(rest - barWidth, 1, MaxLabel);

        var lines = new List<IRenderable>
        {
            new Markup(TextCells.Styled(Header(elapsed), width, "bold")),
        };
        foreach (var node in tree)
        {
            lines.Add(new Markup(Line(node, rows, now, taskWidth, kindWidth, labelWidth, barWidth)));
        }

        // The header, the tasks and a blank line above the journal's panel (its two borders and its lines).
        var journalLines = height <= 0 ? MaxJournalLines : Math.Clamp(height - lines.Count - 3, 1, MaxJournalLines);
        var shown = journal.Skip(Math.Max(0, journal.Count - journalLines)).Select(line => TextCells.Cut(line, width - 4));
        var panel = new Panel(new Markup(Markup.Escape(string.Join('\n', shown).PadRight(1))))
            .Header("journal").Border(BoxBorder.Rounded).Expand();
        lines.Add(new Text(string.Empty));
        lines.Add(panel);
        return new Rows(lines);
    }

    private static string Header(TimeSpan elapsed) =>
        $"{ResearchScenario.OwnerThreadId} (owner thread, t+{elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s)";

    private static string Line(TaskTree.Node node, IReadOnlyList<TaskRow> rows, DateTimeOffset now, int taskWidth, int kindWidth, int labelWidth, int barWidth)
    {
        var summary = node.Row.Summary;
        var color = StatusStyle.Of(summary.Status);
        var percent = TaskTree.Percent(node.Row, rows);
        var filled = percent * barWidth / 100;
        var bar = $"[{color}]{new string('━', filled)}[/][grey23]{new string('━', barWidth - filled)}[/]";
        var seconds = string.Create(CultureInfo.InvariantCulture, $"{node.Row.Elapsed(now).TotalSeconds:0.0}s");
        return string.Join(TextCells.Gap,
            $"[grey]{Markup.Escape(node.Guide)}[/]" + TextCells.Styled(summary.TaskId, taskWidth - node.Guide.Length, "bold"),
            TextCells.Styled(summary.TaskType, kindWidth, "blue"),
            Label(node.Row, labelWidth),
            bar,
            string.Create(CultureInfo.InvariantCulture, $"{percent,3}%"),
            TextCells.Styled(summary.Status.AsString(), StatusWidth, color),
            seconds.PadLeft(TimeWidth));
    }

    /// <summary>The task's name or work; a failed task's error follows it in red, within the same width.</summary>
    private static string Label(TaskRow row, int width)
    {
        if (row.Summary.Error is not { } error)
        {
            return TextCells.Styled(row.Label, width);
        }

        var label = TextCells.Cut(row.Label, width);
        var rest = width - label.Length - 2;
        return rest < 4
            ? TextCells.Styled(row.Label, width)
            : Markup.Escape(label) + "  " + TextCells.Styled(error, rest, "red");
    }
}
