using System.Runtime.InteropServices;

namespace BackgroundTasks.Sqlite.Tests;

/// <summary>A second name for a file (.NET has no API for hard links).</summary>
internal static partial class HardLink
{
    public static void Create(string existing, string link)
    {
        if (Link(existing, link) != 0)
        {
            throw new IOException($"link('{existing}', '{link}') failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string link);
}
