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

    /// <summary>Sends into this agent's own inbox; bind it as the owner inbox of the agent's nested children.</summary>
    public InboxSender InboxSender { get; }

    /// <summary>This agent's own inbox: messages from its parent and events of its nested children.</summary>
    /// <remarks>The inbox is closed when the body ends.</remarks>
    public InboxReceiver Inbox { get; }
}
