using System.Text.RegularExpressions;
using BackgroundTasks.Sqlite;

namespace BackgroundTasks.Demo.Tests;

/// <summary>
/// Runs the demo in-process, in plain mode with the simulated work shrunk, and reads what it printed. Each
/// test gets its own database file, so runs neither share ids nor see each other's tasks.
/// </summary>
public sealed class DemoProgramTests : IDisposable
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("bt-demo-");

    private string Database => Path.Combine(_directory.FullName, "demo.db");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task PlainFast_RunsTheScenario_AndPrintsEveryStep()
    {
        var (exitCode, output) = await RunAsync("--plain", "--fast", "--db", Database);

        Assert.Equal(0, exitCode);
        Assert.Contains("bg_0 sub_agent  spawned: market", output, StringComparison.Ordinal);
        Assert.Contains("bg_1 sub_agent  spawned: papers", output, StringComparison.Ordinal);
        Assert.Contains("bg_2 sub_agent  spawned: patents", output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^\[t\+\d+\.\d\ds\] bg_\d+ fetch +spawned under bg_0: ", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^\[t\+\d+\.\d\ds\] bg_\d+ fetch +progress 40%$", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"bg_\d+ summarise +progress 100%"), output);
        Assert.Contains("lead -> bg_0 (market): message \"focus on 2024 pricing\"", output, StringComparison.Ordinal);
        Assert.Contains("bg_0 market: got \"focus on 2024 pricing\" from lead", output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"CancelTreeAsync\(bg_1\) cancelled subtree, \d task\(s\) signalled"), output);
        Assert.Matches(new Regex(@"^\[t\+\d+\.\d\ds\] bg_1 cancelled$", RegexOptions.Multiline), output);
        Assert.Single(Regex.Matches(output, @"^\[t\+\d+\.\d\ds\] bg_\d+ failed: ", RegexOptions.Multiline));
        Assert.Contains("failed: EPO: upstream returned 503 Service Unavailable", output, StringComparison.Ordinal);
        Assert.Contains("lead: WaitAsync(bg_0) -> market completed", output, StringComparison.Ordinal);
        Assert.Contains("lead: WaitAsync(bg_1) -> papers cancelled", output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^Outcome\r?\ntask +kind +name / work +parent +status +time +outcome", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^bg_0 +sub_agent +market +- +completed +\d+\.\d\ds +3/3 sources", RegexOptions.Multiline), output);
        Assert.Contains("1 failed", output, StringComparison.Ordinal);
        Assert.EndsWith("demo: done", output.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputThatIsNotTheConsole_GetsPlainLines()
    {
        var (exitCode, output) = await RunAsync("--fast", "--db", Database);

        Assert.Equal(0, exitCode);
        Assert.Matches(new Regex(@"^\[t\+\d+\.\d\ds\] ", RegexOptions.Multiline), output);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ExplainsTheOptions()
    {
        var (exitCode, output) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--plain", "--fast", "--restart", "--db <path>", "backgroundtasks-demo.db", "--cluster <n>", "--kill-silo" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }

        Assert.All(output.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 80, $"Longer than 80 columns: {line}"));
    }

    [Theory]
    [InlineData("--nope", "Unknown option '--nope'.")]
    [InlineData("--db", "--db needs a file path.")]
    public async Task BadCommandLine_ExitsWithTwo_AndSaysWhy(string argument, string message)
    {
        var (exitCode, output) = await RunAsync(argument);

        Assert.Equal(2, exitCode);
        Assert.StartsWith(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_ListsTheOrphansOfAKilledRun_ThenRunsAgain()
    {
        // The database a killed run leaves behind: Running records whose process is gone. They are written
        // through the persistence directly, as the killed process had written them before it died.
        var created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        await using (var killedRun = new SqliteTaskStatePersistence(Database))
        {
            await killedRun.LoadAsync();
            await killedRun.SaveAsync(
            [
                new() { TaskId = "bg_40", OwnerThreadId = "lead", TaskType = "sub_agent", Name = "market", Description = "research", CreatedAt = created },
                new() { TaskId = "bg_41", OwnerThreadId = "lead", TaskType = "fetch", Description = "fetch pricing pages", CreatedAt = created },
            ]);
        }

        var (exitCode, text) = await RunAsync("--plain", "--fast", "--restart", "--db", Database);

        Assert.Equal(0, exitCode);
        Assert.Contains("restart: 2 orphaned task(s), now recorded as failed:", text, StringComparison.Ordinal);
        Assert.Contains("  orphan bg_40 sub_agent market (started ", text, StringComparison.Ordinal);
        Assert.Contains("  orphan bg_41 fetch fetch pricing pages (started ", text, StringComparison.Ordinal);
        Assert.Contains("bg_42 sub_agent  spawned: market", text, StringComparison.Ordinal);
        Assert.Contains("demo: done", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondRun_OnTheSameDatabase_ShowsOnlyItsOwnTasks()
    {
        await RunAsync("--plain", "--fast", "--db", Database);

        var (exitCode, text) = await RunAsync("--plain", "--fast", "--db", Database);

        Assert.Equal(0, exitCode);
        Assert.Contains("bg_12 sub_agent  spawned: market", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"^bg_0 ", RegexOptions.Multiline), text);
        Assert.Contains("8 completed, 1 failed, 3 cancelled", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_WithAnEmptyStore_SaysThereIsNothingToRecover()
    {
        var (exitCode, output) = await RunAsync("--plain", "--fast", "--restart", "--db", Database);

        Assert.Equal(0, exitCode);
        Assert.Contains("restart: no orphaned tasks found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatabaseHeldByAnotherStore_ExitsWithOne_WithOneLineNamingTheFileAndTheHolder()
    {
        await using var holder = await TaskStateStore.OpenAsync(new SqliteTaskStatePersistence(Database));

        var (exitCode, output) = await RunAsync("--plain", "--fast", "--db", Database);

        Assert.Equal(1, exitCode);
        Assert.Matches(new Regex($@"^demo: The task database '{Regex.Escape(Database)}' is already in use by process {Environment.ProcessId} \(.+\) on host '.+'; only one store may open a database at a time\.\r?\n$"),
            output);
    }

    [Fact]
    public async Task AFileThatIsNotADatabase_ExitsWithOne_WithOneLineNamingTheFile()
    {
        await File.WriteAllTextAsync(Database, new string('x', 4096));

        var (exitCode, output) = await RunAsync("--plain", "--fast", "--db", Database);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"demo: The task database '{Database}' cannot be opened: it is corrupt or not a SQLite database", output, StringComparison.Ordinal);
        Assert.Single(output.TrimEnd().Split('\n'));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exitCode = await Program.RunAsync(args, output).WaitAsync(s_guard);
        return (exitCode, output.ToString());
    }
}
