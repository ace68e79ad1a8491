using BackgroundTasks.Sqlite;

namespace BackgroundTasks.Hosting;

/// <summary>
/// How <see cref="BackgroundTasksServiceCollectionExtensions.AddBackgroundTasks(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{BackgroundTasksOptions}?)"/>
/// sets up the store. Bindable from configuration, for example the section <c>"BackgroundTasks"</c>:
/// <c>{ "Store": "Sqlite", "SqlitePath": "tasks.db" }</c>.
/// </summary>
/// <remarks>Read once, when the host starts and opens the store.</remarks>
public sealed class BackgroundTasksOptions
{
    /// <summary>The configuration section the README uses: <c>BackgroundTasks</c>.</summary>
    public const string SectionName = "BackgroundTasks";

    /// <summary>Where the store keeps its records. Defaults to <see cref="BackgroundTaskStoreKind.InMemory"/>.</summary>
    public BackgroundTaskStoreKind Store { get; set; } = BackgroundTaskStoreKind.InMemory;

    /// <summary>
    /// The database file for <see cref="BackgroundTaskStoreKind.Sqlite"/>, created if missing; relative paths are
    /// relative to the working directory. Defaults to <c>backgroundtasks.db</c>.
    /// </summary>
    public string SqlitePath { get; set; } = "backgroundtasks.db";

    /// <summary>
    /// Opens a store of your own instead of the one <see cref="Store"/> names (not bindable from configuration).
    /// The hosted service disposes what it returns when the host stops. Defaults to null.
    /// </summary>
    public Func<IServiceProvider, CancellationToken, Task<TaskStateStore>>? StoreFactory { get; set; }

    /// <summary>Opens the store these options describe: <see cref="StoreFactory"/> if set, else the <see cref="Store"/> kind.</summary>
    /// <param name="services">Passed to <see cref="StoreFactory"/>; may be null when there is none.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; the caller owns it and disposes it (asynchronously, which flushes a durable store).</returns>
    /// <exception cref="InvalidOperationException">
    /// <see cref="StoreFactory"/> is set but <paramref name="services"/> is null, <see cref="SqlitePath"/> is empty for a
    /// SQLite store, or <see cref="Store"/> is not a defined kind.
    /// </exception>
    /// <exception cref="IOException">Another process or store holds the SQLite database.</exception>
    /// <exception cref="InvalidDataException">The SQLite database is corrupt or of an unknown schema version.</exception>
    public Task<TaskStateStore> OpenStoreAsync(IServiceProvider? services = null, CancellationToken cancellationToken = default)
    {
        if (StoreFactory is { } factory)
        {
            return factory(services ?? throw new InvalidOperationException(HostingMessages.StoreFactoryNeedsServices), cancellationToken);
        }

        switch (Store)
        {
            case BackgroundTaskStoreKind.InMemory:
                return Task.FromResult(new TaskStateStore());
            case BackgroundTaskStoreKind.Sqlite:
                if (string.IsNullOrWhiteSpace(SqlitePath))
                {
                    throw new InvalidOperationException(HostingMessages.EmptySqlitePath);
                }

                return TaskStateStore.OpenAsync(new SqliteTaskStatePersistence(SqlitePath), cancellationToken);
            default:
                throw new InvalidOperationException(HostingMessages.UnknownStoreKind(Store));
        }
    }
}
