using System.Text.Json;

namespace BackgroundTasks;

/// <summary>The messages of the durable store and of the persistence layers built on it.</summary>
internal static partial class Messages
{
    /// <summary>How many task ids a message lists before it says "and N more".</summary>
    private const int ListedIdLimit = 10;

    public static string RetentionNeedsRemoval(Type persistenceType) =>
        Format("The persistence {0} cannot remove records (it does not implement ITaskStateRemoval), so a store over it cannot have a retention policy.", persistenceType.FullName);

    public static string LoadedNullRecord(int position) =>
        Format("The persistence returned no record (null) at position {0} of its load.", position);

    public static string LoadedDuplicate(string taskId) =>
        Format("The persistence returned task '{0}' more than once.", taskId);

    /// <summary>How much of a persistence's reason, or of a long value, a message or a stand-in record keeps.</summary>
    private const int ClipLength = 500;

    public static string SaveFailed(IReadOnlyCollection<string> taskIds, IReadOnlyCollection<TaskSummary> pending, int attempt, string reason) => taskIds.Count == 0
        ? Format("BackgroundTasks: the task state store could not save the records of new tasks (attempt {0}); their spawns failed: {1}", attempt, Clip(reason))
        : Format("BackgroundTasks: the task state store could not save {0} (attempt {1}); it will retry: {2}{3}", ListIds(taskIds), attempt, Clip(reason),
            EndsNotStored(pending, "unless a retry succeeds, "));

    public static string RecordRefused(TaskSummary record, int refusals, int maxRefusals, string reason) =>
        Format("BackgroundTasks: the persistence refused the record of task '{0}' while it saved others (refusal {1} of {2}): {3}{4}",
            record.TaskId, refusals, maxRefusals, Clip(reason),
            refusals < maxRefusals
                ? EndsNotStored([record], "unless a retry succeeds, ")
                : " It is replaced by a small Failed record that says so.");

    public static string RecordGivenUp(TaskSummary record, string reason) =>
        Format("BackgroundTasks: the persistence refused even the small stand-in record of task '{0}'; the store gives up on it: {1}{2}",
            record.TaskId, Clip(reason), EndsNotStored([record], string.Empty));

    /// <summary>The error of the stand-in saved for a record the persistence refused.</summary>
    public static string RecordNotStored(BackgroundTaskStatus status, int refusals, string reason) =>
        Format("task {0}, but its record could not be stored (the persistence refused it {1} times: {2}), so its result or error is not kept",
            status.IsTerminal() ? "ended " + status.AsString() : "was " + status.AsString(), refusals, Clip(reason));

    public static string RemoveFailed(IReadOnlyCollection<string> taskIds, int attempt, string reason) =>
        Format("BackgroundTasks: the task state store could not remove {0} (attempt {1}); it will retry: {2}", ListIds(taskIds), attempt, Clip(reason));

    public static string FlushFailed(IReadOnlyCollection<string> taskIds, IReadOnlyCollection<TaskSummary> pending, string reason) =>
        Format("The task state store was disposed, but {0} could not be written to its persistence: {1}{2}", ListIds(taskIds), Clip(reason),
            EndsNotStored(pending, string.Empty));

    /// <summary>
    /// For the pending records that are a task's end: that the task ended, with which status, and that its end
    /// is not stored, so it will reopen as an orphan. Empty when none is.
    /// </summary>
    private static string EndsNotStored(IReadOnlyCollection<TaskSummary> pending, string condition)
    {
        var ends = pending.Where(static record => record.Status.IsTerminal()).ToList();
        if (ends.Count == 0)
        {
            return string.Empty;
        }

        var listed = string.Join(", ", ends.Take(ListedIdLimit).Select(static record => $"'{record.TaskId}' ({record.Status.AsString()})"));
        var more = ends.Count > ListedIdLimit ? Format(" and {0} more", ends.Count - ListedIdLimit) : string.Empty;
        return ends.Count == 1
            ? Format(" Task '{0}' ended ({1}), but its end is not stored: {2}it will reopen as an orphan (\"{3}\").",
                ends[0].TaskId, ends[0].Status.AsString(), condition, OrphanedTask)
            : Format(" Tasks {0}{1} ended, but their ends are not stored: {2}they will reopen as orphans (\"{3}\").", listed, more, condition, OrphanedTask);
    }

    /// <summary>A value cut to <see cref="ClipLength"/> characters, saying how long it was, so a huge value cannot make a huge message or record.</summary>
    public static string Clip(string value) =>
        value.Length <= ClipLength ? value : Format("{0}... ({1} characters)", value[..ClipLength], value.Length);

    public const string PersistenceFailed = "The task state store could not write to its persistence.";

    public const string FaultObserverThrew = "BackgroundTasks: a PersistenceFaults observer threw: {0}";

    public const string PruneObserverThrew = "BackgroundTasks: an observer of the task state store threw while pruned records were removed: {0}";

    public static string DatabaseInUse(string path, string holder) =>
        Format("The task database '{0}' is already in use by {1}; only one store may open a database at a time.", path, holder);

    public const string UnknownHolder = "another store (its holder could not be read)";

    public static string DatabaseOpenFailed(string path, string reason) =>
        Format("The task database '{0}' cannot be opened: {1}", path, reason);

    public static string MissingTasksTable(string path) =>
        Format("The task database '{0}' has a schema_version table but no tasks table; the file is damaged.", path);

    public const string DatabaseDisposed = "The SQLite task state persistence is disposed.";

    public static string DatabaseUnreadable(string path, string reason) =>
        Format("The task database '{0}' cannot be opened: it is corrupt or not a SQLite database ({1}).", path, reason);

    public static string NotATaskDatabase(string path) =>
        Format("The file '{0}' is a SQLite database but not a task database: it has tables but no schema_version table.", path);

    public static string UnknownSchemaVersion(string path, string version, int supported) =>
        Format("The task database '{0}' has schema version {1}, but this version of BackgroundTasks.Sqlite reads only version {2}.", path, version, supported);

    public static string UnreadableRow(string path, string taskId, string reason) =>
        Format("The task database '{0}' holds a record for task '{1}' that cannot be read: {2}", path, taskId, reason);

    public static string ColumnNull(string column) => Format("its {0} column is null.", column);

    public static string ColumnEmpty(string column) => Format("its {0} column is empty.", column);

    public static string ColumnWrongType(string column, string expected, string actual) =>
        Format("its {0} column holds {1}, not {2}.", column, actual, expected);

    public static string RowJsonInvalid(string detail) => NotValidJson("json column", detail);

    public static string RowJsonNotObject(JsonValueKind actual) =>
        Format("its json column must hold a JSON object, but it holds {0}.", Describe(actual));

    public static string ListIds(IReadOnlyCollection<string> taskIds)
    {
        if (taskIds.Count == 0)
        {
            return "no task";
        }

        var listed = string.Join(", ", taskIds.Take(ListedIdLimit).Select(static id => $"'{id}'"));
        var prefix = taskIds.Count == 1 ? "task " : "tasks ";
        return taskIds.Count > ListedIdLimit
            ? Format("{0}{1} and {2} more", prefix, listed, taskIds.Count - ListedIdLimit)
            : prefix + listed;
    }
}
