namespace BackgroundTasks;

/// <summary>
/// An <see cref="BackgroundTaskManager.ObserveEvents(string, long?)"/> stream could not resume where it was asked to:
/// some event after the requested sequence is no longer retained, so resuming would leave a gap.
/// </summary>
/// <remarks>
/// A client that gets it has missed events it cannot replay: reload the thread's state (for example with
/// <see cref="BackgroundTaskManager.ListAsync(string)"/> or <see cref="BackgroundTaskManager.Connect(string?)"/>) and
/// observe again with <see langword="null"/> (live) or with <see cref="OldestRetained"/> minus one.
/// </remarks>
public sealed class EventsExpiredException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public EventsExpiredException()
        : this(Messages.EventsExpiredDefault)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public EventsExpiredException(string message)
        : base(message)
    {
        OwnerThreadId = string.Empty;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EventsExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
        OwnerThreadId = string.Empty;
    }

    /// <summary>Creates the exception for a thread, with a message that names the thread and both sequences.</summary>
    /// <param name="ownerThreadId">The thread whose events were asked for.</param>
    /// <param name="requestedAfter">The sequence the stream was asked to resume after.</param>
    /// <param name="oldestRetained">The oldest sequence still retained; 0 when nothing is retained.</param>
    public EventsExpiredException(string ownerThreadId, long requestedAfter, long oldestRetained)
        : base(Messages.EventsExpired(ownerThreadId, requestedAfter, oldestRetained))
    {
        OwnerThreadId = ownerThreadId;
        RequestedAfter = requestedAfter;
        OldestRetained = oldestRetained;
    }

    /// <summary>The thread whose events were asked for.</summary>
    public string OwnerThreadId { get; }

    /// <summary>The sequence the stream was asked to resume after.</summary>
    public long RequestedAfter { get; }

    /// <summary>The oldest sequence still retained for the thread; 0 when nothing is retained.</summary>
    public long OldestRetained { get; }
}
