using System.Runtime.InteropServices;

namespace BackgroundTasks;

/// <summary>
/// Bounds what a terminal record may weigh before it reaches the store: a store (SQLite above all) must not be
/// handed a result or an error of any size a body happens to produce.
/// </summary>
internal static class TerminalLimits
{
    /// <summary>
    /// The record unchanged when it is within bounds; else a Failed record naming the result's size and the limit
    /// (the result is dropped), or the record with its error cut to <see cref="Messages.MaxErrorLength"/> characters.
    /// </summary>
    public static TaskSummary Apply(TaskSummary terminal, long maxResultBytes)
    {
        if (terminal.Result is { } result && ResultBytes(result) is var bytes && bytes > maxResultBytes)
        {
            return terminal with { Status = BackgroundTaskStatus.Failed, Result = null, Error = Messages.ResultTooLarge(bytes, maxResultBytes) };
        }

        return terminal.Error is { Length: > Messages.MaxErrorLength } error ? terminal with { Error = Messages.TruncateError(error) } : terminal;
    }

    /// <summary>The size of the result's JSON text in UTF-8, read from its document without copying it.</summary>
    private static long ResultBytes(System.Text.Json.JsonElement result) => JsonMarshal.GetRawUtf8Value(result).Length;
}
