using System.Globalization;

namespace BackgroundTasks.Hosting;

/// <summary>The hosting layer's error messages, in one place so tests can assert them.</summary>
internal static class HostingMessages
{
    public const string StoreNotOpen =
        "The task state store is opened when the host starts; resolve TaskStateStore after IHost.StartAsync, or use the BackgroundTaskManager, which refuses spawns until then.";

    public const string EmptySqlitePath = "BackgroundTasks:SqlitePath must name a database file when BackgroundTasks:Store is Sqlite.";

    public const string StoreFactoryNeedsServices = "BackgroundTasksOptions.StoreFactory takes an IServiceProvider; pass one to OpenStoreAsync.";

    public static string UnknownStoreKind(BackgroundTaskStoreKind kind) => string.Format(CultureInfo.InvariantCulture,
        "'{0}' is not a store kind; use InMemory or Sqlite.", kind);
}
