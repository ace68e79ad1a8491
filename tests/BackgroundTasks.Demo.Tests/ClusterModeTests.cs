using System.Globalization;
using System.Text.RegularExpressions;
using BackgroundTasks.Demo.Cluster;

namespace BackgroundTasks.Demo.Tests;

/// <summary>
/// Runs <c>--cluster</c> end to end in-process (three silos and a client of the test process, on free loopback ports)
/// and reads what it printed. One class, so its clusters start one at a time.
/// </summary>
public sealed class ClusterModeTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Cluster3_RunsEachThreadOnItsOwnSilo_AndTheScenarioAsScripted()
    {
        var (exitCode, output) = await RunAsync("--cluster", "3", "--fast");

        Assert.True(exitCode == 0, output);
        Assert.Contains("cluster: silo-1 at 127.0.0.1:", output, StringComparison.Ordinal);
        Assert.Contains("cluster: market on silo-3, papers on silo-1, patents on silo-2", output, StringComparison.Ordinal);
        Assert.Contains("market  bg_0 sub_agent  spawned: market", output, StringComparison.Ordinal);
        Assert.Contains("market  bg_0 market: got \"focus on 2024 pricing\" from lead", output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^\[t\+\d+\.\d\ds\] papers  bg_0 cancelled$", RegexOptions.Multiline), output);
        Assert.Contains("patents bg_2 failed: EPO: upstream returned 503 Service Unavailable", output, StringComparison.Ordinal);
        Assert.Contains("lead: WaitAsync(bg_0) -> market completed 3/3 sources", output, StringComparison.Ordinal);
        Assert.Contains("Outcome of research-market, on silo-3", output, StringComparison.Ordinal);
        Assert.Contains("Outcome of research-papers, on silo-1", output, StringComparison.Ordinal);
        Assert.Contains("Outcome of research-patents, on silo-2", output, StringComparison.Ordinal);
        Assert.DoesNotContain("orphaned", output, StringComparison.Ordinal);
        Assert.EndsWith("demo: done", output.TrimEnd(), StringComparison.Ordinal);
        AssertFitsIn80Columns(output);
    }

    [Fact]
    public async Task Cluster3KillSilo_TheKilledSilosTasksBecomeOrphansOnAnotherSilo_AndIdsGoOn()
    {
        var (exitCode, output) = await RunAsync("--cluster", "3", "--kill-silo", "--fast");

        Assert.True(exitCode == 0, output);
        Assert.Contains("cluster: kill silo-3 (research-market's host): stop without grace", output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^\[t\+\d+\.\d\ds\] market  bg_0 failed: task orphaned: runtime restarted while running$", RegexOptions.Multiline), output);
        var back = Regex.Match(output, @"cluster: research-market back on (silo-[12]); orphaned: bg_0(, bg_\d+)*$", RegexOptions.Multiline);
        Assert.True(back.Success, output);
        var respawn = Regex.Match(output, @"lead: respawned market as bg_(\d+) on (silo-[12]) \(ids go on after bg_(\d+)\)");
        Assert.True(respawn.Success, output);
        Assert.Equal(back.Groups[1].Value, respawn.Groups[2].Value);
        Assert.Equal(int.Parse(respawn.Groups[3].Value, CultureInfo.InvariantCulture) + 1, int.Parse(respawn.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Contains($"lead: WaitAsync(bg_{respawn.Groups[1].Value}) -> market completed 3/3 sources", output, StringComparison.Ordinal);
        Assert.Contains("lead: WaitAsync(bg_0) -> papers cancelled", output, StringComparison.Ordinal);
        Assert.Contains("lead: WaitAsync(bg_0) -> patents completed", output, StringComparison.Ordinal);
        Assert.Contains($"Outcome of research-market, on silo-3, then {back.Groups[1].Value}", output, StringComparison.Ordinal);
        Assert.EndsWith("demo: done", output.TrimEnd(), StringComparison.Ordinal);
        AssertFitsIn80Columns(output);
    }

    [Theory]
    [InlineData("--kill-silo needs --cluster <n>: the in-process demo has no silo to kill.", "--kill-silo")]
    [InlineData("--kill-silo needs --cluster <n>: the in-process demo has no silo to kill.", "--kill-silo", "--fast")]
    [InlineData("--cluster needs a number of silos from 1 to 5.", "--cluster", "0")]
    [InlineData("--cluster needs a number of silos from 1 to 5.", "--cluster", "6")]
    [InlineData("--cluster needs a number of silos from 1 to 5.", "--cluster", "three")]
    [InlineData("--cluster needs a number of silos from 1 to 5.", "--cluster", "-1")]
    [InlineData("--cluster needs a number of silos from 1 to 5.", "--cluster")]
    [InlineData("--kill-silo needs --cluster 2 or more: the primary silo is never killed.", "--cluster", "1", "--kill-silo")]
    [InlineData("--cluster cannot be combined with --agent (one in-process manager).", "--cluster", "3", "--agent")]
    [InlineData("--cluster cannot be combined with --restart: the cluster has no database.", "--restart", "--cluster", "2")]
    [InlineData("--cluster cannot be combined with --db: the cluster has no database.", "--cluster", "2", "--db", "x.db")]
    public async Task BadClusterCommandLine_ExitsWithTwo_WithOneLineSayingWhy(string message, params string[] args)
    {
        var (exitCode, output) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Equal(message, output.Split('\n')[0].TrimEnd('\r'));
        Assert.Contains("--kill-silo", output, StringComparison.Ordinal);
    }

    private static void AssertFitsIn80Columns(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            Assert.True(line.TrimEnd('\r').Length <= ClusterMode.Width, $"Longer than {ClusterMode.Width} columns: {line}");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exitCode = await Program.RunAsync(args, output).WaitAsync(s_guard);
        return (exitCode, output.ToString());
    }
}
