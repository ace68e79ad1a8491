namespace BackgroundTasks;

/// <summary>A sub-agent's own inbox, both ends.</summary>
/// <remarks>
/// A class rather than a nullable tuple on <see cref="TaskRuntime"/>: most tasks are not agents, and a reference costs
/// them 8 bytes where the tuple cost 24.
/// </remarks>
/// <param name="Sender">The sending end, which the manager's messaging and the body use.</param>
/// <param name="Receiver">The receiving end, which the body reads and the task's end closes.</param>
internal sealed record AgentInbox(InboxSender Sender, InboxReceiver Receiver)
{
    /// <summary>A new unbounded inbox.</summary>
    public static AgentInbox Create()
    {
        var (sender, receiver) = Inbox.Create();
        return new AgentInbox(sender, receiver);
    }
}
