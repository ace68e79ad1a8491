using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace BackgroundTasks.Demo;

/// <summary>The final table of outcomes and timings, as plain text or as a Spectre.Console table.</summary>
internal static class OutcomeTable
{
    private static readonly string[] s_headers = ["task", "kind", "name / work", "parent", "status", "time", "outcome"];

    public static void WritePlain(TextWriter output, IReadOnlyList<TaskRow> rows)
    {
        var cells = rows.Select(Cells).ToList();
        var widths = s_headers.Select((header, column) => cells.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        output.WriteLine();
        output.WriteLine("Outcome");
        output.WriteLine(Line(s_headers, widths));
        output.WriteLine(Line(widths.Select(width => new string('-', width)).ToArray(), widths));
        foreach (var row in cells)
        {
            output.WriteLine(Line(row, widths));
        }

        output.WriteLine(Totals(rows));
    }

    public static Table ToTable(IReadOnlyList<TaskRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Outcome[/]").Caption(Markup.Escape(Totals(rows)));
        foreach (var header in s_headers)
        {
            table.AddColumn(header);
        }

        foreach (var row in rows)
        {
            var cells = Cells(row);
            cells[4] = $"[{StatusStyle.Of(row.Summary.Status)}]{cells[4]}[/]";
            table.AddRow(cells.Select((cell, i) => i == 4 ? cell : Markup.Escape(cell)).ToArray());
        }

        return table;
    }

    private static string[] Cells(TaskRow row)
    {
        var summary = row.Summary;
        return
        [
            summary.TaskId,
            summary.TaskType,
            Truncate(row.Label, 40),
            summary.ParentContext.TaskId ?? "-",
            summary.Status.AsString(),
            summary.CompletedAt is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{row.Elapsed(summary.CompletedAt.Value).TotalSeconds:0.00}s"),
            Truncate(Outcome(summary), 60),
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
        string.Join("  ", cells.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd();

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
