using System.Globalization;

namespace BackgroundTasks.Orleans;

/// <summary>The messages of the Orleans scale-out, kept in one place so tests can assert them.</summary>
internal static class OrleansMessages
{
    public static string TaskTypeRegisteredTwice(string taskType) =>
        Format("A task body is already registered for task type '{0}'.", taskType);

    public static string AgentKindRegisteredTwice(string agentKind) =>
        Format("An agent body is already registered for agent kind '{0}'.", agentKind);

    public const string AddedTwice = "AddBackgroundTasks was already called on this silo; register every body in one call.";

    public static string UnknownTaskType(string taskType, string silo) =>
        Format("No task body is registered for task type '{0}' on silo {1}; register it with AddBackgroundTasks(o => o.AddTask(\"{0}\", ...)) on every silo.", taskType, silo);

    public static string UnknownAgentKind(string agentKind, string silo) =>
        Format("No agent body is registered for agent kind '{0}' on silo {1}; register it with AddBackgroundTasks(o => o.AddAgent(\"{0}\", ...)) on every silo.", agentKind, silo);

    public static string StorageMissing(string storageName) =>
        Format("No grain storage named '{0}' is configured on this silo; add one (for example AddMemoryGrainStorage(\"{0}\"), or a provider that survives a silo) or set BackgroundTasksSiloOptions.StorageName.", storageName);

    public const string NotActive = "The thread grain is not active.";

    public static string UnknownTask(string taskId, string ownerThreadId) =>
        Format("Thread '{1}' has no task '{0}'.", taskId, ownerThreadId);

    public static string NegativeAfterSequence(long afterSequence) =>
        Format("afterSequence must be null (live events only) or a sequence of 0 or more, not {0}.", afterSequence);

    public const string ShouldRetryAcrossWire =
        "A RetryPolicy with ShouldRetry cannot be sent to a thread grain: a delegate does not cross the wire. Leave ShouldRetry null (retry every failed attempt) for remote spawns.";

    public static string NullOnWire(string typeName) => Format("A {0} arrived on the wire as JSON null.", typeName);

    public static string RecordUnreadable(string ownerThreadId, int position, string reason) =>
        Format("The stored record at position {0} of thread '{1}' cannot be read: {2}", position, ownerThreadId, reason);

    public static string StorageWriteFailed(string ownerThreadId, string reason) =>
        Format("The grain storage could not save the records of thread '{0}': {1}", ownerThreadId, reason);

    public static string Fenced(string ownerThreadId) =>
        Format("The activation of thread '{0}' was stopped without grace; its records are left for the next activation to orphan.", ownerThreadId);

    public static string StorageReadFailed(string ownerThreadId, string reason) =>
        Format("The grain storage could not load the records of thread '{0}': {1}", ownerThreadId, reason);

    public static string ETagMoved(string grain) =>
        Format("The stored records of grain '{0}' were written by someone else since they were read (the ETag moved on).", grain);

    public static string InProcessStateOnly(string stateType) =>
        Format("InProcessGrainStorage keeps the records of thread grains (ThreadRecordsState) only, not '{0}' state; give other grains a real provider.", stateType);

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
