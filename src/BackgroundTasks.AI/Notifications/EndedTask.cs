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

    /// <summary>The read of the record, when it had not finished as the event arrived; <see cref="ResolveAsync"/> finishes it.</summary>
    public Task<TaskSummary?>? PendingRecord { get; init; }

    /// <summary>The line for a terminal event, with the name from the record if reading it finishes at once; null for other events.</summary>
    /// <remarks>
    /// The event, not the record, gives the status and the result or error: a retention limit may prune the record
    /// before the model hears of the task, while the event is kept until then. Only the name is the record's. Runs on
    /// the thread that published the event, so it never waits: a read that is still going is finished by the take.
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
        Task<TaskSummary?> record;
        try
        {
            record = tasks.GetAsync(message.TaskId);
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
        {
            // The name is a nicety; the task is still reported.
            return ended;
        }

        return record.IsCompletedSuccessfully
            ? ended with { Name = NameOf(record.Result) }
            : ended with { PendingRecord = record };
    }

    /// <summary>This line with its name, once a record read that was still going as the event arrived has finished.</summary>
    public async ValueTask<EndedTask> ResolveAsync()
    {
        if (PendingRecord is not { } record)
        {
            return this;
        }

        string? name = null;
        try
        {
            name = NameOf(await record.ConfigureAwait(false));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // As above: without its name the task is still reported.
        }

        return this with { Name = name, PendingRecord = null };
    }

    private static string? NameOf(TaskSummary? record) => record?.Name is { } name ? TaskNotice.Shorten(name) : null;
}
