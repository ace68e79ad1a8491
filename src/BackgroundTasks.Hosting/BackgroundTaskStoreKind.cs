namespace BackgroundTasks.Hosting;

/// <summary>Where a hosted <see cref="TaskStateStore"/> keeps its records.</summary>
public enum BackgroundTaskStoreKind
{
    /// <summary>In memory: nothing survives the process. The default.</summary>
    InMemory,

    /// <summary>In the SQLite database at <see cref="BackgroundTasksOptions.SqlitePath"/>; survives restarts.</summary>
    Sqlite,
}
