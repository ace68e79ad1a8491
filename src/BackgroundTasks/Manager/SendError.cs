namespace BackgroundTasks;

/// <summary>Why a message to a sub-agent could not be delivered. Checked in declaration order.</summary>
public enum SendError
{
    /// <summary>No task has the id.</summary>
    TaskNotFound,

    /// <summary>Another owner thread owns the task.</summary>
    NotOwner,

    /// <summary>The task has ended; <see cref="SendException.TerminalStatus"/> says how.</summary>
    TaskTerminated,

    /// <summary>The task is not a sub-agent, so it has no inbox.</summary>
    NoInbox,

    /// <summary>The sub-agent closed its inbox.</summary>
    InboxClosed,
}
