using System.Text.RegularExpressions;

namespace BackgroundTasks.Demo.Tests;

/// <summary>The demo's <c>--agent</c> mode: a scripted model drives the research scenario through the agent tools.</summary>
public sealed class AgentModeTests : IDisposable
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("bt-agent-");

    private string Database => Path.Combine(_directory.FullName, "demo.db");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Agent_PrintsTheConversation_ToolCallsResultsAndNotices()
    {
        var (exitCode, output) = await RunAsync("--agent", "--fast", "--db", Database);

        Assert.Equal(0, exitCode);
        Assert.Contains("""assistant  spawn_agent {"agent":"researcher","task":"agent runtime vendors","name":"market"}""", output, StringComparison.Ordinal);
        Assert.Contains("""tool       {"task_id":"bg_0","status":"running"}""", output, StringComparison.Ordinal);
        Assert.Contains("""assistant  task_wait {"task_ids":["bg_0","bg_1"],"mode":"any","timeout_seconds":20}""", output, StringComparison.Ordinal);
        Assert.Contains("""tool       {"status":"accepted","delivery":"live","task_id":"bg_1"}""", output, StringComparison.Ordinal);
        Assert.Contains("""tool       {"cancelled":1}""", output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^notice +\[background tasks\] 1 background task ended since your last turn:\r?\n +- bg_0 \(market\) completed: ", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^ +- bg_1 \(papers\) cancelled\r?$", RegexOptions.Multiline), output);
        Assert.Single(Regex.Matches(output, @"- bg_0 \(market\) completed"));
        Assert.EndsWith("demo: done", output.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_OnADatabaseWithAnEarlierRun_StillGoesAsScripted()
    {
        await RunAsync("--agent", "--fast", "--db", Database);

        var (exitCode, output) = await RunAsync("--agent", "--fast", "--db", Database);

        Assert.Equal(0, exitCode);
        Assert.Contains("""tool       {"task_id":"bg_2","status":"running"}""", output, StringComparison.Ordinal);
        Assert.DoesNotContain("bg_0 (market) completed", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exitCode = await Program.RunAsync(args, output).WaitAsync(s_guard);
        return (exitCode, output.ToString());
    }
}
