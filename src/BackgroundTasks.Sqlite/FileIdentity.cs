using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BackgroundTasks.Sqlite;

/// <summary>
/// Which file a path or an open handle leads to — its device and inode — so that every name of one file
/// (a symlink, a hard link, a relative path) is recognised as that file.
/// </summary>
/// <remarks>
/// Read with <c>statx(2)</c> on Linux, whose result layout is the same on every architecture (unlike
/// <c>struct stat</c>), and without opening the file: opening and closing a descriptor of a database would drop
/// this process's POSIX locks on it, SQLite's included. Elsewhere the identity is unknown (<see langword="null"/>).
/// </remarks>
internal readonly partial record struct FileIdentity(uint DeviceMajor, uint DeviceMinor, ulong Inode)
{
    private const int AtCurrentDirectory = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxInode = 0x100;

    /// <summary>The identity of the file <paramref name="path"/> leads to (symlinks followed), or null when it does not exist or cannot be told.</summary>
    public static FileIdentity? Of(string path) =>
        OperatingSystem.IsLinux() ? Query(AtCurrentDirectory, path, 0) : null;

    /// <summary>The identity of the open file behind <paramref name="handle"/>, or null when it cannot be told.</summary>
    public static FileIdentity? Of(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Query((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The device and inode as <c>/proc/locks</c> writes them: <c>major:minor:inode</c>, the numbers of the device in hex.</summary>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0:x2}:{1:x2}:{2}", DeviceMajor, DeviceMinor, Inode);

    private static FileIdentity? Query(int directory, string path, int flags)
    {
        try
        {
            return NativeMethods.Statx(directory, path, flags, StatxInode, out var result) == 0 && (result.Mask & StatxInode) != 0
                ? new FileIdentity(result.DeviceMajor, result.DeviceMinor, result.Inode)
                : null;
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than statx (glibc < 2.28): the identity is unknown, as on other systems.
            return null;
        }
    }

    /// <summary>The fields of <c>struct statx</c> read here, at their fixed offsets.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxResult
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Statx(int directory, string path, int flags, uint mask, out StatxResult result);
    }
}
