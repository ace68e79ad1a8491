namespace BackgroundTasks;

/// <summary>The messages of the SQLite persistence for writes that fail after the database was opened.</summary>
internal static partial class Messages
{
    public static string DatabaseWriteFailed(string path, string work, string cause, string reason) =>
        Format("The task database '{0}' could not be written while {1}: {2}. {3}", path, work, cause, reason);

    public static string SavingRecords(IReadOnlyCollection<string> taskIds) => Format("saving the records of {0}", ListIds(taskIds));

    public static string RemovingRecords(IReadOnlyCollection<string> taskIds) => Format("removing the records of {0}", ListIds(taskIds));

    public const string DiskFull = "the disk is full, or the database reached its size limit";

    public const string DatabaseReadOnly = "the file is read-only, or it was moved or deleted while open";

    public const string DiskIoError = "the disk reported an I/O error";

    public const string DatabaseBusy = "another connection holds the file locked";

    public const string WriteRefused = "SQLite refused the write";
}
