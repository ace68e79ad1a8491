namespace BackgroundTasks;

/// <summary>A <see cref="TaskStateStore"/> could not make records durable before it was disposed; <see cref="TaskIds"/> names them.</summary>
public sealed class TaskStatePersistenceException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public TaskStatePersistenceException()
        : this(Messages.PersistenceFailed)
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public TaskStatePersistenceException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public TaskStatePersistenceException(string message, Exception? innerException)
        : this(message, [], innerException)
    {
    }

    /// <summary>Creates an exception that names the records that could not be written.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="taskIds">The ids of the records that are not durable.</param>
    /// <param name="innerException">The cause: what the persistence threw last.</param>
    /// <exception cref="ArgumentNullException"><paramref name="taskIds"/> is null.</exception>
    public TaskStatePersistenceException(string message, IReadOnlyList<string> taskIds, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        TaskIds = taskIds;
    }

    /// <summary>The ids of the records that could not be saved or removed.</summary>
    public IReadOnlyList<string> TaskIds { get; }
}
