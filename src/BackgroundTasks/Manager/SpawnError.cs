namespace BackgroundTasks;

/// <summary>Why a spawn was refused.</summary>
public enum SpawnError
{
    /// <summary>The name is one of parent, self, all or broadcast.</summary>
    ReservedName,

    /// <summary>A running task of the same owner thread already has the name.</summary>
    DuplicateName,

    /// <summary>The manager has no state store.</summary>
    StoreNotConfigured,

    /// <summary>The state store could not record the task; <see cref="Exception.InnerException"/> is the cause.</summary>
    State,

    /// <summary>The task's agent run has been cancelled with <see cref="BackgroundTaskManager.CancelDescendantsForRunAsync"/>.</summary>
    ParentRunCancelled,

    /// <summary>
    /// The owner thread already has <see cref="BackgroundTaskManagerOptions.MaxQueuedPerOwner"/> queued tasks;
    /// nothing of the spawn was left behind.
    /// </summary>
    QueueFull,
}
