namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>
    /// Delivers <c>TaskEvent.Custom(taskId, "agent_message", {"from": senderAgentId, "content": content})</c>
    /// to a live sub-agent's inbox.
    /// </summary>
    /// <param name="taskId">The sub-agent's task id.</param>
    /// <param name="ownerThreadId">The thread sending; it must own the task.</param>
    /// <param name="senderAgentId">Who sends the message.</param>
    /// <param name="content">The message.</param>
    /// <returns>A task that completes when the message is in the inbox.</returns>
    /// <remarks>
    /// The event's <see cref="TaskEvent.Custom.Payload"/> is built on its first read (see there);
    /// <see cref="AgentMessage.TryParse"/> reads the message without building it.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="SendException">
    /// The message was not delivered: <see cref="SendError.TaskNotFound"/>, <see cref="SendError.NotOwner"/>,
    /// <see cref="SendError.TaskTerminated"/>, <see cref="SendError.NoInbox"/> or <see cref="SendError.InboxClosed"/>,
    /// checked in that order.
    /// </exception>
    public Task SendTaskInboxMessageAsync(string taskId, string ownerThreadId, string senderAgentId, string content)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentNullException.ThrowIfNull(ownerThreadId);
        ArgumentNullException.ThrowIfNull(senderAgentId);
        ArgumentNullException.ThrowIfNull(content);

        // A live body means a Running record (the terminal record is written only after the body is marked
        // ended), so the runtime answers the checks below without the store's lock and lookup.
        _live.TryGetValue(taskId, out var runtime);
        var summary = (runtime is { IsEnded: false, TaskId.Length: > 0 } ? runtime.Running : Find(taskId))
            ?? throw new SendException(SendError.TaskNotFound, Messages.TaskNotFound(taskId));
        if (summary.OwnerThreadId != ownerThreadId)
        {
            throw new SendException(SendError.NotOwner, Messages.NotOwner(taskId, ownerThreadId));
        }

        if (summary.Status.IsTerminal())
        {
            throw new SendException(SendError.TaskTerminated, Messages.TaskTerminated(taskId, summary.Status), summary.Status);
        }

        if (summary.TaskType != SubAgentTaskType || (runtime is not null && runtime.AgentInbox is null))
        {
            throw new SendException(SendError.NoInbox, Messages.NoInbox(taskId));
        }

        // A sub-agent with no runtime here has ended (or belongs to another manager): its inbox is gone.
        // The payload's JsonElement is built when someone reads it: writing and parsing it was most of a send, and a
        // receiver that takes the message with AgentMessage.TryParse never needs it.
        var message = new TaskEvent.Custom(taskId, new AgentMessagePayload(senderAgentId, content));
        if (runtime?.AgentInbox is not { } inbox || !inbox.Sender.TrySend(message))
        {
            throw new SendException(SendError.InboxClosed, Messages.InboxClosed(taskId));
        }

        _diagnostics.MessageSent(taskId, senderAgentId);
        return Task.CompletedTask;
    }
}
