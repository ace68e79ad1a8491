namespace BackgroundTasks;

/// <summary>What a sub-agent body gets: its id, its cancellation, and its own inbox.</summary>
public sealed class AgentTaskContext
{
    private readonly TaskRuntime _runtime;

    internal AgentTaskContext(TaskRuntime runtime)
    {
        _runtime = runtime;
        (InboxSender, Inbox) = runtime.AgentInbox!.Value;
    }

    /// <summary>The id of the running sub-agent task.</summary>
    public string TaskId => _runtime.TaskId;

    /// <summary>Signalled when the sub-agent is cancelled.</summary>
    public CancellationToken CancellationToken => _runtime.CancellationToken;

    /// <summary>Reports how far the task has come: its record's <see cref="TaskSummary.Progress"/> becomes this.</summary>
    /// <param name="fraction">Done so far, from 0 to 1; null when the body cannot tell.</param>
    /// <param name="message">What the body is doing now, for people; null for none.</param>
    /// <remarks>
    /// An Update for <see cref="BackgroundTaskManager.Connect"/> and <see cref="BackgroundTaskManager.Watch"/> observers;
    /// the newest report wins. With a store in memory the record changes before the call returns; a durable store
    /// coalesces reports (at most one write in flight per task) and does not wait for the disk. The terminal record
    /// keeps the last progress. A report after the task has ended is ignored.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is NaN or outside [0, 1].</exception>
    public void ReportProgress(double? fraction, string? message = null) =>
        _runtime.ReportProgress(ProgressReporter.Validated(fraction, message));

    /// <summary>Sends into this agent's own inbox; bind it as the owner inbox of the agent's nested children.</summary>
    public InboxSender InboxSender { get; }

    /// <summary>This agent's own inbox: messages from its parent and events of its nested children.</summary>
    /// <remarks>The inbox is closed when the body ends.</remarks>
    public InboxReceiver Inbox { get; }
}
