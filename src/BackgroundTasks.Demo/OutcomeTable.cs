using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace BackgroundTasks.Demo;

/// <summary>The final table of outcomes and timings, as plain text or, fitted to the console's width, as Spectre.Console markup.</summary>
internal static class OutcomeTable
{
    private const int StatusColumn = 4;

    private static readonly string[] s_headers = ["task", "kind", "name / work", "parent", "status", "time", "outcome"];

    // The columns that give way on a narrow console, in order, and the width each keeps.
    private static readonly (int Column, int Least)[] s_shrinkable = [(6, 16), (2, 12)];

    /// <summary>The table as plain lines under <paramref name="title"/>; cut like the console's to <paramref name="width"/> when given.</summary>
    public static void WritePlain(TextWriter output, IReadOnlyList<TaskRow> rows, string title = "Outcome", int? width = null)
    {
        var cells = rows.Select(Cells).ToList();
        var widths = s_headers.Select((header, column) => cells.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        if (width is { } available)
        {
            Shrink(widths, available - ((widths.Length - 1) * TextCells.Gap.Length));
        }

        output.WriteLine();
        output.WriteLine(width is null ? title : TextCells.Cut(title, width.Value));
        output.WriteLine(Line(s_headers, widths));
        output.WriteLine(Line(widths.Select(width => new string('-', width)).ToArray(), widths));
        foreach (var row in cells)
        {
            output.WriteLine(Line(row, widths));
        }

        output.WriteLine(Totals(rows));
    }

    /// <summary>
    /// The table for a console <paramref name="width"/> cells wide: the same columns as the plain one, the name and
    /// the outcome cut (with …) until every row fits on one line.
    /// </summary>
    public static IRenderable ToRenderable(IReadOnlyList<TaskRow> rows, int width)
    {
        var cells = rows.Select(Cells).ToList();
        var widths = s_headers.Select((header, column) => cells.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        Shrink(widths, width - ((widths.Length - 1) * TextCells.Gap.Length));
        var lines = new List<IRenderable>
        {
            new Text(string.Empty),
            new Markup("[bold]Outcome[/]"),
            new Markup(string.Join(TextCells.Gap, s_headers.Select((header, i) => TextCells.Styled(header, widths[i], "bold"))).TrimEnd()),
            new Markup(Markup.Escape(Line([.. widths.Select(w => new string('─', w))], widths))),
        };
        for (var r = 0; r < rows.Count; r++)
        {
            var styles = s_headers.Select((_, i) => i == StatusColumn ? StatusStyle.Of(rows[r].Summary.Status) : null).ToArray();
            lines.Add(new Markup(string.Join(TextCells.Gap, cells[r].Select((cell, i) => TextCells.Styled(cell, widths[i], styles[i]))).TrimEnd()));
        }

        lines.Add(new Markup($"[grey]{Markup.Escape(TextCells.Cut(Totals(rows), width))}[/]"));
        return new Rows(lines);
    }

    /// <summary>Takes what the columns need beyond <paramref name="available"/> from the outcome, then from the name.</summary>
    private static void Shrink(int[] widths, int available)
    {
        foreach (var (column, least) in s_shrinkable)
        {
            var excess = widths.Sum() - available;
            if (excess <= 0)
            {
                return;
            }

            widths[column] = Math.Max(least, widths[column] - excess);
        }
    }

    private static string[] Cells(TaskRow row)
    {
        var summary = row.Summary;
        return
        [
            summary.TaskId,
            summary.TaskType,
            TextCells.Cut(row.Label, 40),
            summary.ParentContext.TaskId ?? "-",
            summary.Status.AsString(),
            summary.CompletedAt is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{row.Elapsed(summary.CompletedAt.Value).TotalSeconds:0.00}s"),
            TextCells.Cut(Outcome(summary), 60),
        ];
    }

    private static string Outcome(TaskSummary summary) => summary.Status switch
    {
        BackgroundTaskStatus.Failed => summary.Error ?? string.Empty,
        BackgroundTaskStatus.Completed when summary.Result is { } result => Describe(result),
        _ => string.Empty,
    };

    private static string Describe(JsonElement result) =>
        result.ValueKind == JsonValueKind.Object && result.TryGetProperty("summary", out var summary) ? summary.GetString() ?? string.Empty
        : result.ValueKind == JsonValueKind.Object && result.TryGetProperty("pages", out var pages) ? $"{pages.GetInt32()} pages"
        : result.GetRawText();

    private static string Totals(IReadOnlyList<TaskRow> rows) =>
        string.Join(", ", rows.GroupBy(row => row.Summary.Status).OrderBy(group => group.Key)
            .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Count()} {group.Key.AsString()}")));

    private static string Line(string[] cells, int[] widths) =>
        string.Join(TextCells.Gap, cells.Select((cell, i) => TextCells.Fit(cell, widths[i]))).TrimEnd();

}
