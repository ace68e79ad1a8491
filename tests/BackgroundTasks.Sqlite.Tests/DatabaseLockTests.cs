using System.Diagnostics;
using System.Reflection;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Sqlite.Tests;

/// <summary>
/// The one-store-per-file lock is on the database file itself: every name of the file, in this process or
/// another, is refused while a store holds it, and the refusal names the holder.
/// </summary>
public sealed class DatabaseLockTests
{
    private static readonly string s_crashHost = typeof(DatabaseLockTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashHostPath").Value!;

    public static TheoryData<string> Aliases => ["symlink", "hard link", "relative path", "dotted path", "same path"];

    [LinuxTheory]
    [MemberData(nameof(Aliases))]
    public async Task SecondStoreInThisProcess_ThroughAnyNameOfTheFile_IsRefused_NamingTheFileAndThisProcess(string alias)
    {
        using var db = new TempDatabase();
        await using var holder = await db.OpenAsync();
        var aliasPath = MakeAlias(db, alias);

        await using var intruder = new SqliteTaskStatePersistence(aliasPath);
        var error = await Assert.ThrowsAsync<IOException>(() => intruder.LoadAsync());

        Assert.StartsWith($"The task database '{intruder.DatabasePath}' is already in use by process {Environment.ProcessId} (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($" on host '{Environment.MachineName}'; only one store may open a database at a time.", error.Message, StringComparison.Ordinal);

        // The holder still writes: the refused opener took nothing from it.
        await using var manager = new BackgroundTaskManager(holder);
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        Assert.Equal(BackgroundTaskStatus.Completed, (await manager.WaitAsync(id).Guarded()).Status);
    }

    [LinuxTheory]
    [MemberData(nameof(Aliases))]
    public async Task AliasOfAFileHeldByAnotherProcess_IsRefused_NamingThatProcess(string alias)
    {
        using var db = new TempDatabase();
        var aliasPath = MakeAlias(db, alias);
        using var host = StartHolder(db.Path);
        try
        {
            Assert.Equal("ready", await host.StandardOutput.ReadLineAsync().Guarded());

            await using var intruder = new SqliteTaskStatePersistence(aliasPath);
            var error = await Assert.ThrowsAsync<IOException>(() => intruder.LoadAsync());

            Assert.Contains($"'{intruder.DatabasePath}' is already in use by process {host.Id} (", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            host.Kill();
            await host.WaitForExitAsync().Guarded();
        }
    }

    [LinuxFact]
    public async Task ARefusedOpener_LeavesTheHoldersSqliteLocksInPlace()
    {
        using var db = new TempDatabase();
        await using var holder = await db.OpenAsync();
        var before = SqliteLocksOfThisProcess(db.Path);
        Assert.NotEmpty(before);

        await using var intruder = new SqliteTaskStatePersistence(MakeAlias(db, "hard link"));
        var error = await Assert.ThrowsAsync<IOException>(() => intruder.LoadAsync());
        Assert.Contains("is already in use by process", error.Message, StringComparison.Ordinal);

        // A descriptor of the file opened and closed beside SQLite's would have dropped them all. SQLite may take more
        // locks meanwhile (its own reads and writes go on), so every lock held before must still be held.
        var after = SqliteLocksOfThisProcess(db.Path);
        Assert.All(before, held => Assert.Contains(held, after));
    }

    [LinuxFact]
    public async Task TheLock_IsReleasedWithTheStore_ForEveryName()
    {
        using var db = new TempDatabase();
        var link = MakeAlias(db, "symlink");
        await (await db.OpenAsync()).DisposeAsync();

        await using var reopened = await TaskStateStore.OpenAsync(new SqliteTaskStatePersistence(link));

        Assert.Empty(reopened.Tasks.Items);
    }

    [LinuxFact]
    public async Task OnLinux_NoLockOrHolderFileIsLeftBesideTheDatabase()
    {
        using var db = new TempDatabase();
        await using (var store = await db.OpenAsync())
        {
            Assert.Equal(["tasks.db", "tasks.db-shm", "tasks.db-wal"], FileNames(db.Folder));
        }

        Assert.Equal(["tasks.db"], FileNames(db.Folder));
    }

    [Fact]
    public async Task AMissingFolder_IsCreated()
    {
        using var db = new TempDatabase();
        var path = Path.Combine(db.Folder, "missing", "deeper", "tasks.db");

        await using (var store = await TaskStateStore.OpenAsync(new SqliteTaskStatePersistence(path)))
        {
            Assert.Empty(store.Tasks.Items);
        }

        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task AFolderThatCannotBeCreated_IsAnErrorNamingTheDatabase()
    {
        using var db = new TempDatabase();
        var blocker = Path.Combine(db.Folder, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the folder should be");
        var path = Path.Combine(blocker, "tasks.db");
        await using var persistence = new SqliteTaskStatePersistence(path);

        var error = await Assert.ThrowsAsync<IOException>(() => persistence.LoadAsync());

        Assert.True(error.Message.StartsWith($"The task database '{path}' cannot be opened: ", StringComparison.Ordinal), error.Message);
    }

    private static string MakeAlias(TempDatabase db, string alias)
    {
        if (alias is "symlink" or "hard link" && !File.Exists(db.Path))
        {
            // A link needs the file; an empty file is a new database to SQLite.
            File.WriteAllBytes(db.Path, []);
        }

        var aliasPath = Path.Combine(db.Folder, "alias.db");
        switch (alias)
        {
            case "symlink":
                File.CreateSymbolicLink(aliasPath, db.Path);
                return aliasPath;
            case "hard link":
                HardLink.Create(db.Path, aliasPath);
                return aliasPath;
            case "relative path":
                return Path.GetRelativePath(Environment.CurrentDirectory, db.Path);
            case "dotted path":
                return Path.Combine(db.Folder, ".", "sub", "..", "tasks.db");
            default:
                return db.Path;
        }
    }

    private static Process StartHolder(string databasePath)
    {
        Assert.True(File.Exists(s_crashHost), $"The crash host was not built at {s_crashHost}.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(s_crashHost);
        start.ArgumentList.Add(databasePath);
        return Process.Start(start)!;
    }

    /// <summary>This process's POSIX (fcntl) locks on the file, as the kernel lists them: SQLite's.</summary>
    private static List<string> SqliteLocksOfThisProcess(string path)
    {
        var file = FileIdentity.Of(path)!.Value.ToString();
        var pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return [.. File.ReadLines("/proc/locks")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields is [_, "POSIX", _, _, var owner, var device, ..] && owner == pid && device == file)
            .Select(fields => string.Join(' ', fields.Skip(1)))];
    }

    private static string[] FileNames(string folder) =>
        [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
