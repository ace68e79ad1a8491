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

    /// <summary>Creates an exception for a refused spawn, with everything the manager's own refusals carry.</summary>
    /// <param name="error">Why the spawn was refused.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="name">The refused name, for <see cref="SpawnError.ReservedName"/> and <see cref="SpawnError.DuplicateName"/>.</param>
    /// <param name="runId">The cancelled run, for <see cref="SpawnError.ParentRunCancelled"/>.</param>
    /// <param name="innerException">The cause, for <see cref="SpawnError.State"/>.</param>
    /// <remarks>
    /// For code that carries a refusal across a boundary (a remote spawn, a serializer) and must rethrow it as the
    /// manager threw it, so callers can switch on <see cref="Error"/> wherever the spawn ran. The manager's refusals
    /// use this constructor too.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="error"/> is not a defined <see cref="SpawnError"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public SpawnException(SpawnError error, string message, string? name = null, string? runId = null, Exception? innerException = null)
        : base(Validated(error, message), innerException)
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

    private static string Validated(SpawnError error, string message)
    {
        if (!Enum.IsDefined(error))
        {
            throw new ArgumentOutOfRangeException(nameof(error), error, Messages.UndefinedValue(nameof(SpawnError)));
        }

        ArgumentNullException.ThrowIfNull(message);
        return message;
    }
}
