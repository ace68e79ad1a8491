using System.Globalization;

namespace BackgroundTasks;

internal static partial class Messages
{
    /// <summary>The error recorded for a task that was Running when its runtime went away.</summary>
    public const string OrphanedTask = "task orphaned: runtime restarted while running";

    /// <summary>The error recorded for a body that returned null instead of a result.</summary>
    public const string NullResult = "The task body returned null instead of a TaskResult.";

    public static string ReservedName(string name) =>
        Format("The name '{0}' is reserved; choose a name other than parent, self, all or broadcast.", Shorten(name));

    public static string DuplicateName(string name, string ownerThreadId) =>
        Format("A running task named '{0}' already exists on thread '{1}'.", Shorten(name), Shorten(ownerThreadId));

    public const string StoreNotConfigured =
        "No task state store is configured; call SetStore or pass a TaskStateStore to the constructor before spawning.";

    public static string StoreWriteFailed(string taskId) =>
        Format("The task state store could not record task '{0}'; the spawn was abandoned.", taskId);

    public static string ParentRunCancelled(string runId) =>
        Format("The agent run '{0}' has been cancelled; no more tasks may be spawned for it.", Shorten(runId));

    public const string WhitespaceName = "A task name must not be empty or whitespace; pass null for an unnamed task.";

    public static string TaskNotFound(string taskId) => Format("No task with id '{0}' exists.", Shorten(taskId));

    public static string NotOwner(string taskId, string ownerThreadId) =>
        Format("Task '{0}' is not owned by thread '{1}'.", Shorten(taskId), Shorten(ownerThreadId));

    public static string TaskTerminated(string taskId, BackgroundTaskStatus status) =>
        Format("Task '{0}' has already ended with status '{1}'.", Shorten(taskId), status.AsString());

    public static string NotTerminalStatus(BackgroundTaskStatus status) =>
        Format("A terminal status is Completed, Failed or Cancelled; {0} is not one.", status);

    public static string NoInbox(string taskId) =>
        Format("Task '{0}' is not a sub-agent and has no inbox.", Shorten(taskId));

    public static string InboxClosed(string taskId) =>
        Format("The inbox of sub-agent '{0}' is closed.", Shorten(taskId));

    public const string NoStoreForObservation =
        "No task state store is configured; call SetStore or pass a TaskStateStore to the constructor before observing tasks.";

    private static string Format(string format, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, format, args);
}
