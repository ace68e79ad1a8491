namespace BackgroundTasks;

/// <summary>Turns how a body ended into its terminal record and terminal event.</summary>
internal static class TaskOutcome
{
    /// <summary>The terminal record for a body that returned <paramref name="result"/> or threw <paramref name="fault"/>.</summary>
    public static TaskSummary ToTerminal(TaskSummary running, TaskResult? result, Exception? fault, bool cancellationRequested, DateTimeOffset now)
    {
        if (fault is not null)
        {
            // Only a cancellation that was asked for counts as Cancelled; an OperationCanceledException
            // the body raised on its own (a timeout of its HTTP client, say) is a failure.
            return fault is OperationCanceledException && cancellationRequested
                ? running with { Status = BackgroundTaskStatus.Cancelled, CompletedAt = now }
                : running with { Status = BackgroundTaskStatus.Failed, Error = fault.Message, CompletedAt = now };
        }

        if (result is null)
        {
            return running with { Status = BackgroundTaskStatus.Failed, Error = Messages.NullResult, CompletedAt = now };
        }

        return result.Status switch
        {
            BackgroundTaskStatus.Completed => running with { Status = BackgroundTaskStatus.Completed, Result = result.Value, CompletedAt = now },
            BackgroundTaskStatus.Failed => running with { Status = BackgroundTaskStatus.Failed, Error = result.Error ?? string.Empty, CompletedAt = now },
            _ => running with { Status = BackgroundTaskStatus.Cancelled, CompletedAt = now },
        };
    }

    /// <summary>The record of a task whose body died with the process that ran it (a restore, or opening a persisted store).</summary>
    public static TaskSummary Orphan(TaskSummary running, DateTimeOffset now) =>
        running with { Status = BackgroundTaskStatus.Failed, Error = Messages.OrphanedTask, CompletedAt = running.CompletedAt ?? now };

    /// <summary>The terminal event that matches a terminal record, numbered <paramref name="sequence"/> in its thread's stream.</summary>
    public static TaskEvent ToEvent(TaskSummary terminal, long sequence = 0) => terminal.Status switch
    {
        BackgroundTaskStatus.Completed => new TaskEvent.Completed(terminal.TaskId, terminal.Result) { Sequence = sequence },
        BackgroundTaskStatus.Failed => new TaskEvent.Failed(terminal.TaskId, terminal.Error ?? string.Empty) { Sequence = sequence },
        _ => new TaskEvent.Cancelled(terminal.TaskId) { Sequence = sequence },
    };
}
