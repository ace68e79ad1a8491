using Microsoft.Data.Sqlite;

namespace BackgroundTasks.Sqlite;

/// <summary>What SQLite said, as the exception the persistence contract names, with the file and the failed work in the message.</summary>
internal static class SqliteErrors
{
    // SQLite's primary result codes (the low byte of an extended code).
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int NotADatabase = 26;

    /// <summary>A failure while opening or loading the file: "cannot be opened", or corrupt.</summary>
    public static Exception Opening(string path, SqliteException exception) =>
        IsDamage(exception)
            ? new InvalidDataException(Messages.DatabaseUnreadable(path, exception.Message), exception)
            : new IOException(Messages.DatabaseOpenFailed(path, exception.Message), exception);

    /// <summary>A failure of a write to an open file: what was being written and why it failed (disk full, read-only, I/O).</summary>
    public static Exception Writing(string path, string work, SqliteException exception) =>
        IsDamage(exception)
            ? new InvalidDataException(Messages.DatabaseUnreadable(path, exception.Message), exception)
            : new IOException(Messages.DatabaseWriteFailed(path, work, Cause(exception), exception.Message), exception);

    private static bool IsDamage(SqliteException exception) => (exception.SqliteErrorCode & 0xFF) is NotADatabase or Corrupt;

    private static string Cause(SqliteException exception) => (exception.SqliteErrorCode & 0xFF) switch
    {
        Full => Messages.DiskFull,
        ReadOnly => Messages.DatabaseReadOnly,
        IoError => Messages.DiskIoError,
        Busy or Locked => Messages.DatabaseBusy,
        _ => Messages.WriteRefused,
    };
}
