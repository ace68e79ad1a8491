using System.Text.Json;

namespace BackgroundTasks;

/// <summary>
/// The library's error messages, in one place so tests can assert them. This part holds the messages of the
/// task types and their JSON wire formats; the manager's messages live in <c>Messages.cs</c>.
/// </summary>
/// <remarks>
/// Every message is a full sentence that names the offending value. <c>subject</c> parameters are lower-case
/// phrases such as <c>task 'bg_0'</c> or <c>the task summary</c>, built by <see cref="TaskSubject"/> and friends.
/// </remarks>
internal static partial class Messages
{
    /// <summary>Subject phrase for a task record, by id when it is known.</summary>
    internal static string TaskSubject(string? taskId) =>
        taskId is null ? "the task summary" : $"task '{taskId}'";

    /// <summary>Subject phrase for a task event, by kind and task id when they are known.</summary>
    internal static string EventSubject(string? kind, string? taskId) => (kind, taskId) switch
    {
        (null, _) => "the task event",
        (_, null) => $"the '{kind}' task event",
        _ => $"the '{kind}' event of task '{taskId}'",
    };

    internal const string SnapshotSubject = "the snapshot";

    internal static string MissingProperty(string property, string subject) =>
        $"The \"{property}\" property is missing from {subject}.";

    internal static string WrongKind(string property, string subject, string expected, JsonValueKind actual) =>
        $"The \"{property}\" property of {subject} must be {expected}, but it is {Describe(actual)}.";

    internal static string EmptyString(string property, string subject) =>
        $"The \"{property}\" property of {subject} must not be empty.";

    internal static string UnknownStatus(string value, string? subject = null) =>
        $"The status '{value}'{(subject is null ? "" : $" of {subject}")} is not known; expected 'running', 'completed', 'failed' or 'cancelled'.";

    internal static string StatusNotString(JsonValueKind actual) =>
        $"A task status must be a JSON string, but it is {Describe(actual)}.";

    internal static string TimeNotNumber(string property, string subject, JsonValueKind actual) =>
        WrongKind(property, subject, "a number of Unix milliseconds", actual);

    internal static string NotWholeNumber(string property, string subject, string rawValue) =>
        $"The \"{property}\" property of {subject} must be a whole number, but it is {rawValue}.";

    internal static string FractionOutOfRange(string subject, double fraction) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The \"fraction\" of {subject} must be between 0 and 1, but it is {fraction}.");

    internal static string NotNumber(string property, string subject, string rawValue) =>
        $"The \"{property}\" property of {subject} must be a number, but it is {rawValue}.";

    internal static string TimeNotWholeNumber(string property, string subject, string rawValue) =>
        $"The \"{property}\" property of {subject} must be a whole number of Unix milliseconds, but it is {rawValue}.";

    internal static string TimeOutOfRange(string property, string subject, long value) =>
        $"The \"{property}\" property of {subject} is {value}, which is outside the range of Unix milliseconds a DateTimeOffset can hold.";

    internal static string RecordNotObject(string subject, JsonValueKind actual) =>
        $"The record of {subject} must be a JSON object, but it is {Describe(actual)}.";

    internal static string EventNotObject(JsonValueKind actual) =>
        $"A task event must be a JSON object, but it is {Describe(actual)}.";

    internal static string UnknownEventKind(string kind) =>
        $"The task event kind '{kind}' is not known; expected 'completed', 'failed', 'cancelled' or 'custom'.";

    internal static string EventKindMismatch(string kind, Type requested) =>
        $"The '{kind}' task event cannot be read as {(requested.DeclaringType is { } outer ? $"{outer.Name}.{requested.Name}" : requested.Name)}.";

    internal static string UnknownEventType(Type type) =>
        $"The task event type {type.FullName} has no JSON wire format.";

    internal static string UnknownStatusValue(BackgroundTaskStatus status) =>
        $"The value {(int)status} is not a defined BackgroundTaskStatus.";

    internal const string SnapshotIsNull =
        "The snapshot JSON is the literal null; expected an object with a \"tasks\" property.";

    internal static string SnapshotMalformed(string detail) => NotValidJson("snapshot", detail);

    /// <summary>Malformed JSON text; <paramref name="what"/> is a noun such as <c>snapshot</c> or <c>task record</c>.</summary>
    internal static string NotValidJson(string what, string detail) =>
        $"The {what} is not valid JSON: {detail}";

    internal static string LiteralNull(string what) =>
        $"The {what} JSON is the literal null; expected an object.";

    internal static string SnapshotNotObject(JsonValueKind actual) =>
        $"The snapshot JSON must be an object with a \"tasks\" property, but it is {Describe(actual)}.";

    internal static string SnapshotDuplicateTask(string key) =>
        $"The snapshot lists task '{key}' more than once.";

    internal static string SnapshotKeyMismatch(string key, string taskId) =>
        $"The snapshot holds the task whose task_id is '{taskId}' under the key '{key}'; the key and the task_id must agree.";

    internal static string SnapshotEntryNull(string key) =>
        $"The snapshot holds no task record under the key '{key}'.";

    internal const string ResultValueUndefined =
        "The result value is an undefined JsonElement (default(JsonElement)); pass a parsed JSON value.";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };
}
