using BackgroundTasks.Hosting;

namespace BackgroundTasks.Demo;

/// <summary>Where the demo keeps its tasks: the one switch to flip when the SQLite store lands.</summary>
internal static class DemoStore
{
    public static readonly BackgroundTaskStoreKind Kind = BackgroundTaskStoreKind.Sqlite;

    public static bool IsDurable => Kind != BackgroundTaskStoreKind.InMemory;

    /// <summary>Opens the store; the caller disposes it.</summary>
    public static Task<TaskStateStore> OpenAsync(string database, CancellationToken cancellationToken) =>
        new BackgroundTasksOptions { Store = Kind, SqlitePath = database }.OpenStoreAsync(cancellationToken: cancellationToken);

    public static string Describe(string database) => IsDurable
        ? $"the SQLite file {Path.GetFullPath(database)}"
        : "memory";
}
