using System.Diagnostics;
using System.Reflection;
using BackgroundTasks.Sqlite;

namespace BackgroundTasks.Hosting.Tests;

/// <summary>
/// Sends SIGTERM to a real generic host (tests/BackgroundTasks.HostingShutdownHost, ShutdownTimeout 2 s) whose one
/// task ignores cancellation for ever, and checks that the process still exits, cleanly and on its own.
/// </summary>
public sealed class SigtermShutdownTests
{
    private static readonly string s_shutdownHost = typeof(SigtermShutdownTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ShutdownHostPath").Value!;

    [Theory]
    [InlineData("run", "run returned")]
    [InlineData("dispose", "disposed")]
    public async Task Sigterm_WhileABodyIgnoresCancellation_TheHostStopsWithinItsTimeout_AndTheProcessExits(string mode, string lastLine)
    {
        Assert.True(File.Exists(s_shutdownHost), $"The shutdown host was not built at {s_shutdownHost}.");
        var directory = Directory.CreateTempSubdirectory("bt-sigterm-");
        try
        {
            var path = Path.Combine(directory.FullName, "tasks.db");
            var run = await RunAndTerminateAsync(directory.FullName, path, mode);

            Assert.True(run.ExitCode == 0, $"Exit code {run.ExitCode}. Output:\n{run.Output}");
            Assert.Equal(lastLine, run.Lines[^1]);

            // The host's own "stopped" comes after every hosted service's StopAsync, and ours says so when the
            // host's shutdown token fired before it was done: its absence means the stop fitted in the timeout.
            Assert.Contains("log Debug Stopped Hosting stopped", run.Lines);
            Assert.DoesNotContain(run.Lines, line => line.StartsWith("log Warning StopTimedOut", StringComparison.Ordinal));
            Assert.DoesNotContain(run.Lines, line => line.StartsWith("log Error", StringComparison.Ordinal));

            // One line tells how the task ended: abandoned. Not a store fault followed by a completion.
            var started = run.Lines.IndexOf("started " + run.TaskId);
            var end = Assert.Single(run.Lines.Skip(started + 1), line => line.Contains(run.TaskId, StringComparison.Ordinal));
            Assert.StartsWith("log Warning TaskAbandoned ", end, StringComparison.Ordinal);

            // The process closed the database: it opens, with the abandoned record, not an orphan.
            await using var store = await TaskStateStore.OpenAsync(new SqliteTaskStatePersistence(path)).Guarded();
            var record = store.Lookup(run.TaskId);
            Assert.Equal(
                (BackgroundTaskStatus.Cancelled, "abandoned: did not stop within 00:00:01.5000000 of cancellation"),
                (record?.Status, record?.Error));
            Assert.Empty(store.OrphanedOnOpen);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<ChildRun> RunAndTerminateAsync(string workingDirectory, string databasePath, string mode)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(s_shutdownHost);
        start.ArgumentList.Add(databasePath);
        start.ArgumentList.Add(mode);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        string? taskId = null;
        try
        {
            while (taskId is null)
            {
                var line = await process.StandardOutput.ReadLineAsync().Guarded()
                    ?? throw new InvalidOperationException("The shutdown host exited early: " + await errors.Guarded());
                lines.Add(line);
                if (line.StartsWith("started ", StringComparison.Ordinal))
                {
                    taskId = line["started ".Length..];
                }
            }

            await SendSigtermAsync(process.Id);

            // The end of its output is the end of the process; the guard only fires if it hangs.
            var rest = await process.StandardOutput.ReadToEndAsync().Guarded();
            lines.AddRange(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            await process.WaitForExitAsync().Guarded();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        return new ChildRun(taskId, lines, process.ExitCode, string.Join('\n', lines) + "\nstderr:\n" + await errors.Guarded());
    }

    private static async Task SendSigtermAsync(int processId)
    {
        using var kill = Process.Start("kill", ["-TERM", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().Guarded();
        Assert.Equal(0, kill.ExitCode);
    }

    private sealed record ChildRun(string TaskId, List<string> Lines, int ExitCode, string Output);
}
