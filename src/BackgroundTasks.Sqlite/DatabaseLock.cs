namespace BackgroundTasks.Sqlite;

/// <summary>
/// The exclusive hold of one store on one database file: an OS lock on the database file itself, so every name
/// of the file (a symlink, a hard link, a relative path) leads to the same lock.
/// </summary>
/// <remarks>
/// <para>
/// Why this lock: SQLite coordinates its own connections with POSIX <c>fcntl</c> byte-range locks on the
/// database file, so this lock must be of another kind, and no descriptor of the file may be opened and closed
/// beside SQLite's, because closing any descriptor of a file drops every <c>fcntl</c> lock the process holds on
/// it. On Unix the lock is a descriptor opened with <see cref="FileShare.None"/>, which .NET turns into
/// <c>flock(LOCK_EX | LOCK_NB)</c>: on local Linux file systems <c>flock</c> locks belong to the open file, not
/// the process, and never conflict with <c>fcntl</c> locks, so SQLite works undisturbed while a second opener, in
/// this process or another, is refused. The descriptor stays open for the store's whole life and is closed only
/// after SQLite's connection. (On NFS, Linux emulates <c>flock</c> with an <c>fcntl</c> lock, which SQLite's own
/// would disturb; SQLite does not support NFS anyway. Setting <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns
/// the lock off, as it does for every <see cref="FileShare.None"/> in the process.)
/// </para>
/// <para>
/// A second opener in this process is refused from a registry of held files (by device and inode) before it opens
/// anything: its failed open would otherwise close a descriptor of the file and drop the holder's SQLite locks.
/// On Windows, where SQLite opens the file itself with sharing, the lock is a one-byte range far beyond SQLite's
/// lock bytes (at 1 GiB) taken on a shared handle: per handle, so it conflicts within one process too.
/// </para>
/// <para>
/// One descriptor is still closed beside SQLite's: the lock's own, when the store is disposed (after its
/// connection), or a refused opener's when another process holds the file. Either drops the locks of any other
/// SQLite connection this process has open on the file at that moment (a tool reading it in-process); open such
/// connections in another process. Parking the descriptor instead of closing it, as SQLite does with its own,
/// would close that gap at the cost of one descriptor per file for the process's life.
/// </para>
/// <para>The OS drops the lock when the process dies, however it dies, so a crash never leaves a stale lock.</para>
/// </remarks>
internal sealed class DatabaseLock : IDisposable
{
    // How .NET reports the lock held elsewhere: errno EWOULDBLOCK (Linux 11, macOS 35) from flock, or Windows'
    // ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION as HRESULTs.
    private static readonly int[] s_lockConflicts = [11, 35, unchecked((int)0x80070020), unchecked((int)0x80070021)];

    // Far beyond SQLite's lock bytes and any real database size, so no read or write ever touches it.
    private const long WindowsLockOffset = 1L << 62;

    private static readonly Lock s_registryLock = new();

    // Files locked by this process, by identity (or by full path where identities are unknown).
    private static readonly HashSet<string> s_held = new(StringComparer.Ordinal);

    private readonly FileStream _stream;
    private readonly string _key;
    private int _disposed;

    private DatabaseLock(FileStream stream, string key)
    {
        _stream = stream;
        _key = key;
    }

    /// <summary>Takes the lock of <paramref name="databasePath"/>, creating the file and its folder if they do not exist.</summary>
    /// <exception cref="IOException">Another store holds the database (the message names the file and the holder), or the file or its folder cannot be created or opened.</exception>
    public static DatabaseLock Acquire(string databasePath)
    {
        lock (s_registryLock)
        {
            var identity = FileIdentity.Of(databasePath);
            if (s_held.Contains(Key(databasePath, identity)))
            {
                throw new IOException(Messages.DatabaseInUse(databasePath, LockHolder.ThisProcess()));
            }

            var stream = Open(databasePath, identity);
            try
            {
                // Keyed by the file actually opened: the path may have been created or replaced since it was looked up.
                var key = Key(databasePath, FileIdentity.Of(stream.SafeFileHandle));
                LockHolder.Record(databasePath);
                s_held.Add(key);
                return new DatabaseLock(stream, key);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                stream.Dispose();
                throw new IOException(Messages.DatabaseOpenFailed(databasePath, exception.Message), exception);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Closed and forgotten together, so an opener in this process never finds the file unregistered but still locked.
        lock (s_registryLock)
        {
            _stream.Dispose();
            s_held.Remove(_key);
        }
    }

    private static string Key(string databasePath, FileIdentity? identity) =>
        identity is { } known ? "file " + known : "path " + databasePath;

    private static FileStream Open(string databasePath, FileIdentity? identity)
    {
        try
        {
            // As users expect from a path in their settings; SQLite itself would refuse a missing folder.
            Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new IOException(Messages.DatabaseOpenFailed(databasePath, exception.Message), exception);
        }

        try
        {
            if (!OperatingSystem.IsWindows())
            {
                return new FileStream(databasePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }

            var stream = new FileStream(databasePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            try
            {
                stream.Lock(WindowsLockOffset, 1);
                return stream;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }
        catch (IOException exception) when (exception.GetType() == typeof(IOException) && s_lockConflicts.Contains(exception.HResult))
        {
            throw new IOException(Messages.DatabaseInUse(databasePath, LockHolder.Find(databasePath, identity)), exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new IOException(Messages.DatabaseOpenFailed(databasePath, exception.Message), exception);
        }
    }
}
