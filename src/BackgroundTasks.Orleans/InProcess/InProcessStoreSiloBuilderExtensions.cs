using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Storage;

namespace BackgroundTasks.Orleans;

/// <summary>Gives a silo the in-process thread storage and reminder table that the other silos of its process share.</summary>
public static class InProcessStoreSiloBuilderExtensions
{
    /// <summary>
    /// Makes <paramref name="storage"/> this silo's grain storage named <paramref name="storageName"/> and
    /// <paramref name="reminders"/> its reminder table. Give the same two instances to every silo of the process.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="storage">The thread records every silo of this process shares.</param>
    /// <param name="reminders">The reminder table every silo of this process shares.</param>
    /// <param name="storageName">The storage's name: <see cref="BackgroundTasksSiloOptions.StorageName"/>. Default: <c>"BackgroundTasks"</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>For demos and tests that host several silos in one process; see <see cref="InProcessGrainStorage"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="storage"/> or <paramref name="reminders"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="storageName"/> is null, empty or white space.</exception>
    public static ISiloBuilder UseInProcessStore(this ISiloBuilder builder, InProcessGrainStorage storage, InProcessReminderTable reminders,
        string storageName = "BackgroundTasks")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(reminders);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageName);
        builder.Services.AddKeyedSingleton<IGrainStorage>(storageName, storage);
        builder.Services.AddSingleton<global::Orleans.IReminderTable>(reminders);
        return builder;
    }
}
