namespace BackgroundTasks;

/// <summary>A spawn was refused; <see cref="Error"/> says why.</summary>
public sealed class SpawnException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public SpawnException()
        : this("The task could not be spawned.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public SpawnException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SpawnException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Error = SpawnError.State;
    }

    internal SpawnException(SpawnError error, string message, string? name = null, string? runId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        Name = name;
        RunId = runId;
    }

    /// <summary>Why the spawn was refused.</summary>
    public SpawnError Error { get; }

    /// <summary>The refused name, for <see cref="SpawnError.ReservedName"/> and <see cref="SpawnError.DuplicateName"/>.</summary>
    public string? Name { get; }

    /// <summary>The cancelled run, for <see cref="SpawnError.ParentRunCancelled"/>.</summary>
    public string? RunId { get; }
}
