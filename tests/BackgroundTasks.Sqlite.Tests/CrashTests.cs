using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Sqlite.Tests;

/// <summary>
/// Kills a real process (SIGKILL on Unix) that is spawning tasks into a database, then reopens the database
/// and checks that everything the process had been told was durable is there, and that no terminal state a
/// <c>Connect</c> observer in the process had shown came back as anything else (an orphan, say).
/// </summary>
public sealed partial class CrashTests
{
    private const int Iterations = 5;

    private static readonly string s_crashHost = typeof(CrashTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashHostPath").Value!;

    [Fact]
    public async Task KilledWhileWriting_EverySpawnIsThere_EveryFinishIsTerminal_TheRestAreOrphans_AndNothingObservedIsTakenBack()
    {
        Assert.True(File.Exists(s_crashHost), $"The crash host was not built at {s_crashHost}.");
        var contradictions = new List<string>();
        var observed = 0;
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            using var db = new TempDatabase();

            // Vary where the kill lands: after more spawns and finishes each time.
            var report = await RunAndKillAsync(db.Path, spawnsBeforeKill: 100 + (iteration * 150), checkHolder: iteration == 0);

            await using var store = await db.OpenAsync();
            foreach (var taskId in report.Spawned)
            {
                Assert.True(store.Lookup(taskId) is not null, $"Iteration {iteration}: {taskId} was spawned but is not in the database.");
            }

            foreach (var (taskId, result) in report.Finished)
            {
                var record = store.Lookup(taskId)!;
                Assert.Equal(BackgroundTaskStatus.Completed, record.Status);
                Assert.Equal(result, record.Result?.GetString());
            }

            var orphans = 0;
            foreach (var record in store.Tasks.Items)
            {
                if (record.Status == BackgroundTaskStatus.Failed)
                {
                    Assert.Equal("task orphaned: runtime restarted while running", record.Error);
                    Assert.False(report.Finished.ContainsKey(record.TaskId), $"Iteration {iteration}: {record.TaskId} was seen finished but is an orphan.");
                    orphans++;
                }
                else
                {
                    // A quick task can have committed its end in the instant between its commit and the kill,
                    // before the host printed it: terminal with its own result, never anything else.
                    Assert.Equal(("quick", BackgroundTaskStatus.Completed, "done-" + record.TaskId),
                        (record.TaskType, record.Status, record.Result?.GetString()));
                }
            }

            Assert.True(orphans > 0, $"Iteration {iteration}: no task was running when the host was killed.");

            // What an observer was shown must be what the database holds after the crash.
            foreach (var (taskId, status) in report.Observed)
            {
                observed++;
                var record = store.Lookup(taskId);
                if (record is null || record.Status.ToString() != status || record.Error == "task orphaned: runtime restarted while running")
                {
                    contradictions.Add($"iteration {iteration}: {taskId} was observed {status}, reopened as {record?.Status.ToString() ?? "nothing"} ({record?.Error})");
                }
            }


            // A new manager on the reopened database carries on after the highest id.
            var highest = store.Tasks.Keys.Max(id => long.Parse(id.AsSpan(3), provider: null));
            await using var manager = new BackgroundTaskManager(store);
            Assert.Equal($"bg_{highest + 1}", await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None,
                _ => Task.FromResult(TaskResult.Success(1))));
        }

        Assert.True(observed > 0, "The observer in the crash host saw no terminal state.");
        Assert.Empty(contradictions);
    }

    private static async Task<CrashReport> RunAndKillAsync(string databasePath, int spawnsBeforeKill, bool checkHolder)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(s_crashHost);
        start.ArgumentList.Add(databasePath);
        using var process = Process.Start(start)!;
        var report = new CrashReport();
        try
        {
            Assert.Equal("ready", await process.StandardOutput.ReadLineAsync().Guarded());
            if (checkHolder)
            {
                // A second process is told who holds the file.
                await using var intruder = new SqliteTaskStatePersistence(databasePath);
                var error = await Assert.ThrowsAsync<IOException>(() => intruder.LoadAsync());
                Assert.Contains($"is already in use by process {process.Id} (", error.Message, StringComparison.Ordinal);
            }

            while (report.Spawned.Count < spawnsBeforeKill || report.Finished.Count < spawnsBeforeKill / 3)
            {
                var line = await process.StandardOutput.ReadLineAsync().Guarded()
                    ?? throw new InvalidOperationException("The crash host exited early: " + await process.StandardError.ReadToEndAsync());
                report.Add(line);
            }
        }
        finally
        {
            // SIGKILL on Unix: no finally blocks, no flush, no disposal in the child.
            process.Kill();
        }

        await process.WaitForExitAsync().Guarded();

        // Lines the host wrote before it died count too; a line cut by the kill has no newline and is dropped.
        var rest = await process.StandardOutput.ReadToEndAsync().Guarded();
        var lines = rest.Split('\n');
        foreach (var line in lines.AsSpan(0, lines.Length - 1))
        {
            report.Add(line);
        }

        return report;
    }

    [GeneratedRegex("^(spawned|finished|observed) (bg_[0-9]+)(?: (.*))?$")]
    private static partial Regex LinePattern();

    private sealed class CrashReport
    {
        public HashSet<string> Spawned { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Finished { get; } = new(StringComparer.Ordinal);

        /// <summary>The terminal status the observer printed for each task.</summary>
        public Dictionary<string, string> Observed { get; } = new(StringComparer.Ordinal);

        public void Add(string line)
        {
            var match = LinePattern().Match(line);
            Assert.True(match.Success, $"Unexpected line from the crash host: '{line}'.");
            if (match.Groups[1].Value == "spawned")
            {
                Spawned.Add(match.Groups[2].Value);
            }
            else if (match.Groups[1].Value == "observed")
            {
                Observed[match.Groups[2].Value] = match.Groups[3].Value;
            }
            else
            {
                Assert.Contains(match.Groups[2].Value, Spawned);
                Finished.Add(match.Groups[2].Value, match.Groups[3].Value);
            }
        }
    }
}
