using BackgroundTasks.Hosting;

namespace BackgroundTasks.Demo;

/// <summary>Where the demo keeps its tasks: the embedded SQLite store, in a file of the working directory by default.</summary>
internal static class DemoStore
{
    /// <summary>Opens the store; the caller disposes it.</summary>
    public static Task<TaskStateStore> OpenAsync(string database, CancellationToken cancellationToken) =>
        new BackgroundTasksOptions { Store = BackgroundTaskStoreKind.Sqlite, SqlitePath = database }.OpenStoreAsync(cancellationToken: cancellationToken);

    public static string Describe(string database) => $"the SQLite file {Path.GetFullPath(database)}";
}
