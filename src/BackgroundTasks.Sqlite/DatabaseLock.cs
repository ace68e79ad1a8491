using System.Diagnostics;
using System.Globalization;

namespace BackgroundTasks.Sqlite;

/// <summary>
/// The exclusive hold of one store on one database file: an OS lock on <c>&lt;database&gt;.lock</c>, plus a
/// <c>&lt;database&gt;.holder</c> file that tells a second opener who holds it.
/// </summary>
/// <remarks>
/// The lock is the file opened with <see cref="FileShare.None"/>: an exclusive <c>flock</c> on Unix, a sharing
/// lock on Windows. The OS drops it when the process dies, however it dies, so a crash never leaves a stale
/// lock. It conflicts within one process too, so two stores in one process cannot share a file either. The
/// holder is written to a second file because .NET cannot read a file another descriptor holds exclusively.
/// The lock file is never deleted: deleting it could let two openers lock two different files of one name.
/// </remarks>
internal sealed class DatabaseLock : IDisposable
{
    private readonly FileStream _lockFile;

    private DatabaseLock(FileStream lockFile) => _lockFile = lockFile;

    /// <summary>Takes the lock of <paramref name="databasePath"/> or throws, naming the file and its holder.</summary>
    /// <exception cref="IOException">Another store holds the database; the message names the file and the holder.</exception>
    public static DatabaseLock Acquire(string databasePath)
    {
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(databasePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception) when (exception.GetType() == typeof(IOException))
        {
            // The base IOException is the sharing violation; its subclasses (missing folder, path too long) are not.
            throw new IOException(Messages.DatabaseInUse(databasePath, ReadHolder(databasePath)), exception);
        }

        try
        {
            File.WriteAllText(HolderPath(databasePath), DescribeThisProcess());
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }

        return new DatabaseLock(lockFile);
    }

    public void Dispose() => _lockFile.Dispose();

    private static string HolderPath(string databasePath) => databasePath + ".holder";

    private static string ReadHolder(string databasePath)
    {
        try
        {
            var holder = File.ReadAllText(HolderPath(databasePath)).Trim();
            return holder.Length == 0 ? Messages.UnknownHolder : holder;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Messages.UnknownHolder;
        }
    }

    private static string DescribeThisProcess()
    {
        using var process = Process.GetCurrentProcess();
        return string.Format(CultureInfo.InvariantCulture, "process {0} ({1}) on host '{2}'",
            Environment.ProcessId, process.ProcessName, Environment.MachineName);
    }
}
