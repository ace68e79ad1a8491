namespace BackgroundTasks;

/// <summary>
/// One task's way into its owner thread's <see cref="OwnerEventLog"/>, with the owner inbox bound at spawn time;
/// refuses everything after the terminal event.
/// </summary>
/// <remarks>
/// The log numbers the thread's events and delivers them in that order, outside its lock, so a task's events keep
/// their emit order and reach the inbox, the manager's Events and the thread's observers alike.
/// </remarks>
internal sealed class TaskEventChannel(OwnerEventLog log, InboxSender? ownerInbox)
{
    public InboxSender? OwnerInbox => ownerInbox;

    /// <summary>Set by the terminal event (or an abandoned spawn); read and written under the log's lock.</summary>
    internal bool IsClosed { get; set; }

    /// <summary>Publishes a custom event; whether the owner inbox is there to take it (false after the terminal event).</summary>
    public bool Publish(TaskEvent message) => log.Publish(this, message);

    /// <summary>Publishes the terminal event of <paramref name="terminal"/>, after which the channel refuses everything.</summary>
    public void PublishTerminal(TaskSummary terminal) => log.PublishTerminal(this, terminal);

    /// <summary>Closes the channel of a spawn that was abandoned before its body ran.</summary>
    public void Close() => log.Detach(this);
}
