using System.Globalization;

namespace BackgroundTasks;

internal static partial class Messages
{
    /// <summary>How much of a caller's value (a name, an id, a thread id) a message quotes before it shortens it.</summary>
    public const int MaxQuotedLength = 64;

    /// <summary>How much of an error string a terminal record keeps; the rest is cut (see <see cref="TruncateError"/>).</summary>
    public const int MaxErrorLength = 16 * 1024;

    /// <summary>
    /// A caller's value as a message quotes it: whole up to <see cref="MaxQuotedLength"/> characters, else its start,
    /// an ellipsis and its length, so a 1M-character name cannot make a 1M-character message.
    /// </summary>
    public static string Shorten(string value) => value.Length <= MaxQuotedLength
        ? value
        : string.Create(CultureInfo.InvariantCulture, $"{value.AsSpan(0, CutAt(value, MaxQuotedLength))}… ({value.Length} characters)");

    /// <summary>An error string cut to <see cref="MaxErrorLength"/> characters, saying how long it was.</summary>
    public static string TruncateError(string error) => error.Length <= MaxErrorLength
        ? error
        : string.Create(CultureInfo.InvariantCulture, $"{error.AsSpan(0, CutAt(error, MaxErrorLength))}… (error truncated from {error.Length} characters)");

    public static string CrossThreadParent(string parentTaskId) => Format(
        "The parent task '{0}' belongs to another thread; a task's parent must be a task of the thread that owns it.",
        Shorten(parentTaskId));

    public static string ResultTooLarge(long bytes, long limit) => Format(
        "The task's result is {0} bytes of JSON (UTF-8), over the limit of {1} bytes (BackgroundTaskManagerOptions.MaxResultBytes).",
        bytes, limit);

    /// <summary>Where to cut <paramref name="value"/> near <paramref name="length"/> without splitting a surrogate pair.</summary>
    private static int CutAt(string value, int length) => char.IsHighSurrogate(value[length - 1]) ? length - 1 : length;
}
