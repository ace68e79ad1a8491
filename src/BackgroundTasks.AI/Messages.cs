using System.Globalization;

namespace BackgroundTasks.AI;

/// <summary>Every message of this assembly, so tests assert them.</summary>
internal static class Messages
{
    public const string NoticeHeader = "[background tasks]";

    /// <summary>The last line of a notice after events were lost: more ended at once than could be kept.</summary>
    public const string NoticeUntracked =
        "- others may have ended too: more ended at once than could be tracked; task_list shows every task's status";

    /// <summary>A notice with nothing to list but the loss.</summary>
    public const string NoticeUntrackedOnly =
        "Background tasks may have ended since your last turn: more ended at once than could be tracked; task_list shows every task's status.";

    public static string Missing(string argument) => Format("The argument '{0}' is required.", argument);

    public static string NotString(string argument) => Format("The argument '{0}' must be a string.", argument);

    public static string NotBoolean(string argument) => Format("The argument '{0}' must be true or false.", argument);

    public static string NotNumber(string argument) => Format("The argument '{0}' must be a number.", argument);

    public static string NotStringArray(string argument) => Format("The argument '{0}' must be an array of strings.", argument);

    public static string Empty(string argument) => Format("The argument '{0}' must not be empty.", argument);

    public static string TooLong(string argument, int max) =>
        Format("The argument '{0}' is longer than {1} characters.", argument, max);

    public static string TooManyIds(string argument, int max) =>
        Format("The argument '{0}' names more than {1} task ids.", argument, max);

    public static string NotOneOf(string argument, IEnumerable<string> allowed) =>
        Format("The argument '{0}' must be one of: {1}.", argument, string.Join(", ", allowed));

    public static string Negative(string argument) =>
        Format("The argument '{0}' must be a finite number of seconds, zero or more.", argument);

    public static string InvalidMaxWait(TimeSpan value) =>
        Format("MaxWait must be more than zero and at most {0} milliseconds; it was {1}.", int.MaxValue, value);

    public static string InvalidLimit(string option, int value) => Format("{0} must be at least 1; it was {1}.", option, value);

    public static string NullAgent(string kind) => Format("The agent kind '{0}' has a null definition, description, body or spawn options.", kind);

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
