using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace BackgroundTasks.Orleans;

/// <summary>Adds the thread grains of BackgroundTasks to an Orleans silo.</summary>
public static class BackgroundTasksSiloBuilderExtensions
{
    /// <summary>
    /// Lets this silo host thread grains (<see cref="IBackgroundTaskThreadGrain"/>), with the task bodies and settings
    /// <paramref name="configure"/> gives, and adds Orleans reminders (the orphan sweep needs them).
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Registers bodies and sets options; run once, now.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// The silo must also have the grain storage provider named <see cref="BackgroundTasksSiloOptions.StorageName"/>
    /// and a reminder table (for example <c>UseInMemoryReminderService</c> on a single silo, or Redis / ADO.NET
    /// reminders in a cluster: a reminder table that lives on one silo dies with it, and so would the sweep).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException">The options name no storage, or a body is registered twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">BackgroundTasks was already added to this silo.</exception>
    public static ISiloBuilder AddBackgroundTasks(this ISiloBuilder builder, Action<BackgroundTasksSiloOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        if (builder.Services.Any(service => service.ServiceType == typeof(BackgroundTasksSiloOptions)))
        {
            throw new InvalidOperationException(OrleansMessages.AddedTwice);
        }

        var options = new BackgroundTasksSiloOptions();
        configure(options);
        options.Validate();
        builder.Services.AddSingleton(options.Copy());
        builder.AddReminders();
        return builder;
    }
}
