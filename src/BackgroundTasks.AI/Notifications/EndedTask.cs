using System.Text.Json;

namespace BackgroundTasks.AI;

/// <summary>One line of a notice: a task of the thread that ended, as its terminal event told it.</summary>
/// <param name="Sequence">The terminal event's number in the thread's stream; notices list tasks in this order.</param>
/// <param name="TaskId">The task.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Detail">Its result JSON or its error, already shortened; null when there is none.</param>
/// <remarks>
/// Held from the moment the event arrives until a notice carrying it reaches the model, so it keeps only what the
/// notice shows (shortened), not the event's or the record's full result.
/// </remarks>
internal sealed record EndedTask(long Sequence, string TaskId, BackgroundTaskStatus Status, string? Detail)
{
    /// <summary>The task's name, read from its record as the event arrived; null when it has none or the record was gone.</summary>
    public string? Name { get; init; }

    /// <summary>The line for a terminal event, with the name from the task's record; null for other events.</summary>
    /// <remarks>
    /// The event, not the record, gives the status and the result or error: a retention limit may prune the record
    /// before the model hears of the task, while the event is kept until then. Only the name is the record's, read as
    /// the event arrives, right after the task ended.
    /// </remarks>
    public static EndedTask? From(TaskEvent message, ThreadTasks tasks)
    {
        if (message is not (TaskEvent.Completed or TaskEvent.Failed or TaskEvent.Cancelled))
        {
            return null;
        }

        var status = message switch
        {
            TaskEvent.Completed => BackgroundTaskStatus.Completed,
            TaskEvent.Failed => BackgroundTaskStatus.Failed,
            _ => BackgroundTaskStatus.Cancelled,
        };
        var detail = message switch
        {
            TaskEvent.Completed { Result: { ValueKind: not JsonValueKind.Undefined } result } => result.GetRawText(),
            TaskEvent.Failed failed => failed.Error,
            _ => null,
        };

        var ended = new EndedTask(message.Sequence, message.TaskId, status, detail is null ? null : TaskNotice.Shorten(detail));
        try
        {
            // The view reads the store's cache, so this has finished already; a read that has not is not waited for
            // (this runs in the stream's delivery), and the line goes without the name.
            return tasks.GetAsync(message.TaskId) is { IsCompletedSuccessfully: true } record
                ? ended with { Name = NameOf(record.Result) }
                : ended;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The name is a nicety; the task is still reported.
            return ended;
        }
    }

    private static string? NameOf(TaskSummary? record) => record?.Name is { } name ? TaskNotice.Shorten(name) : null;
}
