namespace BackgroundTasks;

/// <summary>The lifecycle status of a background task.</summary>
/// <remarks>Named so it never collides with <see cref="System.Threading.Tasks.TaskStatus"/>.</remarks>
public enum BackgroundTaskStatus
{
    /// <summary>The task body is running (or was running when its record was last written).</summary>
    Running,

    /// <summary>The task body returned a successful result.</summary>
    Completed,

    /// <summary>The task body failed, threw, returned null, or was orphaned by a restart.</summary>
    Failed,

    /// <summary>The task body observed cancellation and ended.</summary>
    Cancelled,
}
