using System.Text.RegularExpressions;

namespace BackgroundTasks.Demo.Tests;

/// <summary>The live view's frame at fixed console sizes: one line per task, bars in one column at every depth, nothing wider than the console.</summary>
public sealed class LiveFrameTests
{
    private static readonly string[] s_journal = [.. Enumerable.Range(0, 20).Select(i => $"[t+{i}.00s] bg_{i} fetch      progress 40% and a note long enough to be cut on a narrow console")];

    [Theory]
    [InlineData(80, 24)]
    [InlineData(160, 50)]
    [InlineData(100, 30)]
    public void EveryTask_IsOneLine_WithItsBarInTheSameColumnAtEveryDepth(int width, int height)
    {
        var rows = SampleRows.Tree();

        var lines = Render(rows, width, height);

        var taskLines = rows.Select(row => Assert.Single(lines, line => Regex.IsMatch(line, $@"(^|[ ─]){row.TaskId} "))).ToList();
        Assert.Single(taskLines.Select(line => line.IndexOf('━', StringComparison.Ordinal)).Distinct());
        Assert.Single(taskLines.Select(line => line.IndexOf('%', StringComparison.Ordinal)).Distinct());
        Assert.All(lines, line => Assert.True(line.Length <= width, $"Wider than {width}: '{line}'"));
    }

    [Fact]
    public void AChild_IsDrawnUnderItsParent_WithTheTreesGuides()
    {
        var lines = Render(SampleRows.Tree(), 160, 50);

        Assert.StartsWith("bg_0 ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("├─ bg_1 ", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("└─ bg_2 ", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("   └─ bg_3 ", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("      └─ bg_4 ", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public void At80By24_TheFrameFitsTheScreen_AndTheJournalShowsItsLastLines()
    {
        var lines = Render(SampleRows.Tree(), 80, 24);

        Assert.True(lines.Length <= 24, $"{lines.Length} lines:\n{string.Join('\n', lines)}");
        Assert.Contains(lines, line => line.Contains("[t+19.00s]", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("[t+0.00s]", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.EndsWith("…  │", StringComparison.Ordinal) || line.EndsWith("… │", StringComparison.Ordinal));
    }

    [Fact]
    public void AFailedTask_ShowsItsError_WhenThereIsRoom()
    {
        var lines = Render(SampleRows.Tree(), 160, 50);

        Assert.Contains(lines, line => line.Contains("bg_6", StringComparison.Ordinal) && line.Contains("EPO: upstream", StringComparison.Ordinal));
    }

    private static string[] Render(IReadOnlyList<TaskRow> rows, int width, int height) =>
        FixedConsole.Render(LiveFrame.Render(rows, s_journal, TimeSpan.FromSeconds(3), SampleRows.Start.AddSeconds(3), width, height), width, height);
}
