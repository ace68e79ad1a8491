using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BackgroundTasks.Hosting;

/// <summary>Registers BackgroundTasks with a generic host.</summary>
public static class BackgroundTasksServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="BackgroundTaskManager"/> and one <see cref="TaskStateStore"/> as singletons, and a
    /// hosted service that opens the store when the host starts and, when it stops, cancels every live task,
    /// waits for them within the shutdown timeout, abandons those that do not stop, and disposes (flushes) the store.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; null keeps the defaults (an in-memory store).</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// Calling it again only adds option configuration. The manager logs through the container's
    /// <see cref="ILoggerFactory"/> (category <c>BackgroundTasks.BackgroundTaskManager</c>), reports metrics
    /// through its <see cref="IMeterFactory"/>, and takes its clock from a registered <see cref="TimeProvider"/>
    /// when there is one. Its <see cref="BackgroundTaskManagerOptions.ShutdownGrace"/> is cut from the host's
    /// <see cref="HostOptions.ShutdownTimeout"/> (three quarters of it, holding back at most 5 s for the store's flush),
    /// so the host's stop, and the container's disposal after it, fit in the timeout even when a body ignores
    /// cancellation. The store can be resolved only once the host has started; until then the manager refuses spawns
    /// with <see cref="SpawnError.StoreNotConfigured"/>.
    /// </remarks>
    public static IServiceCollection AddBackgroundTasks(this IServiceCollection services, Action<BackgroundTasksOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<BackgroundTasksOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<TaskStateStoreHolder>();
        services.TryAddSingleton(static provider => provider.GetRequiredService<TaskStateStoreHolder>().Store);
        services.TryAddSingleton(CreateManager);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BackgroundTasksHostedService>());
        return services;
    }

    /// <summary>As <see cref="AddBackgroundTasks(IServiceCollection, Action{BackgroundTasksOptions}?)"/>, with the options bound from configuration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section to bind, such as <c>configuration.GetSection("BackgroundTasks")</c>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddBackgroundTasks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BackgroundTasksOptions>().Bind(configuration);
        return services.AddBackgroundTasks();
    }

    private static BackgroundTaskManager CreateManager(IServiceProvider services) =>
        new(new BackgroundTaskManagerOptions
        {
            Logger = services.GetService<ILoggerFactory>()?.CreateLogger<BackgroundTaskManager>() ?? NullLogger<BackgroundTaskManager>.Instance,
            MeterFactory = services.GetService<IMeterFactory>(),
            TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
            // AddOptions registered IOptions<>, so a container built without a host gets HostOptions' defaults.
            ShutdownGrace = ShutdownBudget.GraceFor(services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout),
        });
}
