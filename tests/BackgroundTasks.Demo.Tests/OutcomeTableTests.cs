using System.Text.RegularExpressions;

namespace BackgroundTasks.Demo.Tests;

/// <summary>The live run's outcome table: one line per task at any console width, its columns aligned.</summary>
public sealed class OutcomeTableTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(160)]
    public void EveryTask_IsOneLine_NoWiderThanTheConsole(int width)
    {
        var rows = SampleRows.Tree();

        var lines = FixedConsole.Render(OutcomeTable.ToRenderable(rows, width), width, 50);

        // A blank line, the title, the header, its rule, a line per task and the totals.
        Assert.Equal(rows.Count + 5, lines.Length);
        Assert.All(lines, line => Assert.True(line.Length <= width, $"Wider than {width}: '{line}'"));
        foreach (var row in rows)
        {
            Assert.Single(lines, line => line.StartsWith(row.TaskId + " ", StringComparison.Ordinal));
        }

        var statusColumn = lines[2].IndexOf("status", StringComparison.Ordinal);
        Assert.All(lines.Skip(4).Take(rows.Count), line => Assert.Matches(new Regex("^(running|completed|failed|cancelled)"), line[statusColumn..]));
    }

    [Fact]
    public void AWideConsole_ShowsTheOutcomeWhole()
    {
        var lines = FixedConsole.Render(OutcomeTable.ToRenderable(SampleRows.Tree(), 160), 160, 50);

        Assert.Contains(lines, line => line.EndsWith("EPO: upstream returned 503 Service Unavailable", StringComparison.Ordinal));
    }
}
