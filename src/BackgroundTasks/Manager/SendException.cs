namespace BackgroundTasks;

/// <summary>A message to a sub-agent could not be delivered; <see cref="Error"/> says why.</summary>
public sealed class SendException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public SendException()
        : this("The message could not be delivered.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public SendException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SendException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal SendException(SendError error, string message, BackgroundTaskStatus? terminalStatus = null)
        : base(message)
    {
        Error = error;
        TerminalStatus = terminalStatus;
    }

    /// <summary>Why the message was not delivered.</summary>
    public SendError Error { get; }

    /// <summary>The status the task ended with, for <see cref="SendError.TaskTerminated"/>.</summary>
    public BackgroundTaskStatus? TerminalStatus { get; }
}
