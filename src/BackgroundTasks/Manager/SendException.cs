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

    /// <summary>Creates an exception for an undelivered message, with everything the manager's own refusals carry.</summary>
    /// <param name="error">Why the message was not delivered.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="terminalStatus">The status the task ended with, for <see cref="SendError.TaskTerminated"/>.</param>
    /// <remarks>
    /// For code that carries a refusal across a boundary (a remote send, a serializer) and must rethrow it as the
    /// manager threw it, so senders can switch on <see cref="Error"/> wherever the task runs. The manager's refusals
    /// use this constructor too.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="error"/> is not a defined <see cref="SendError"/>, or <paramref name="terminalStatus"/> is not a
    /// terminal <see cref="BackgroundTaskStatus"/>.
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public SendException(SendError error, string message, BackgroundTaskStatus? terminalStatus = null)
        : base(Validated(error, message, terminalStatus))
    {
        Error = error;
        TerminalStatus = terminalStatus;
    }

    /// <summary>Why the message was not delivered.</summary>
    public SendError Error { get; }

    /// <summary>The status the task ended with, for <see cref="SendError.TaskTerminated"/>.</summary>
    public BackgroundTaskStatus? TerminalStatus { get; }

    private static string Validated(SendError error, string message, BackgroundTaskStatus? terminalStatus)
    {
        if (!Enum.IsDefined(error))
        {
            throw new ArgumentOutOfRangeException(nameof(error), error, Messages.UndefinedValue(nameof(SendError)));
        }

        ArgumentNullException.ThrowIfNull(message);
        if (terminalStatus is { } status && (!Enum.IsDefined(status) || !status.IsTerminal()))
        {
            throw new ArgumentOutOfRangeException(nameof(terminalStatus), status, Messages.NotTerminalStatus(status));
        }

        return message;
    }
}
