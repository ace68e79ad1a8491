using System.Diagnostics;
using System.Globalization;

namespace BackgroundTasks.Sqlite;

/// <summary>Says who holds a database's lock, for the error a refused opener gets.</summary>
/// <remarks>
/// On Linux the kernel knows: <c>/proc/locks</c> lists each <c>flock</c> with its process and the device and inode
/// of its file, so the holder is found whatever name either side used. Where there is no <c>/proc/locks</c>,
/// each holder writes itself to <c>&lt;path&gt;.holder</c>, which names it only to openers using the same path.
/// </remarks>
internal static class LockHolder
{
    private const string KernelLocks = "/proc/locks";

    /// <summary>Whether holders must write <c>&lt;path&gt;.holder</c> because the kernel cannot be asked.</summary>
    public static bool NeedsHolderFile { get; } = !File.Exists(KernelLocks);

    /// <summary>This process, as a holder: <c>process 123 (name) on host 'h'</c>.</summary>
    public static string ThisProcess()
    {
        using var process = Process.GetCurrentProcess();
        return Describe(Environment.ProcessId, process.ProcessName);
    }

    /// <summary>Writes this process as the holder of <paramref name="databasePath"/> when the kernel cannot tell.</summary>
    public static void Record(string databasePath)
    {
        if (NeedsHolderFile)
        {
            File.WriteAllText(HolderPath(databasePath), ThisProcess());
        }
    }

    /// <summary>Who holds the lock of the file <paramref name="identity"/> (opened as <paramref name="databasePath"/>), or <see cref="Messages.UnknownHolder"/>.</summary>
    public static string Find(string databasePath, FileIdentity? identity)
    {
        try
        {
            if (!NeedsHolderFile)
            {
                return identity is { } known && FindInKernel(known) is { } pid ? Describe(pid, ProcessName(pid)) : Messages.UnknownHolder;
            }

            var holder = File.ReadAllText(HolderPath(databasePath)).Trim();
            return holder.Length == 0 ? Messages.UnknownHolder : holder;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Messages.UnknownHolder;
        }
    }

    private static string HolderPath(string databasePath) => databasePath + ".holder";

    /// <summary>The process holding an exclusive flock on the file, from lines like <c>1: FLOCK ADVISORY WRITE 4242 fe:00:1234 0 EOF</c>.</summary>
    private static int? FindInKernel(FileIdentity identity)
    {
        var file = identity.ToString();
        var inode = ":" + identity.Inode.ToString(CultureInfo.InvariantCulture);
        int? sameInode = null;
        var sameInodeCount = 0;
        foreach (var line in File.ReadLines(KernelLocks))
        {
            // Waiters are listed as "1: -> FLOCK ..." under the holder; they hold nothing, so "FLOCK" must come second.
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is not [_, "FLOCK", _, "WRITE", var pid, var device, ..]
                || !int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var holder))
            {
                continue;
            }

            if (device == file)
            {
                return holder;
            }

            // Overlay and btrfs file systems report one device to stat and another here: the inode alone, if unique.
            if (device.EndsWith(inode, StringComparison.Ordinal))
            {
                sameInode = holder;
                sameInodeCount++;
            }
        }

        return sameInodeCount == 1 ? sameInode : null;
    }

    private static string ProcessName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The holder is in another PID namespace (a container) or has just exited.
            return "unknown name";
        }
    }

    private static string Describe(int pid, string name) =>
        string.Format(CultureInfo.InvariantCulture, "process {0} ({1}) on host '{2}'", pid, name, Environment.MachineName);
}
