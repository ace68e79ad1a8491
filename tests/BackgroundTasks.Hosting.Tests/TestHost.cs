using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace BackgroundTasks.Hosting.Tests;

/// <summary>A real generic host with no defaults (no console logger, no appsettings), logging to a fake collector.</summary>
internal static class TestHost
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    public static IHost Build(Action<HostApplicationBuilder> configure, IDictionary<string, string?>? configuration = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test" });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddFakeLogging();
        configure(builder);
        return builder.Build();
    }

    public static Task<T> Guarded<T>(this Task<T> task) => task.WaitAsync(Guard);

    public static Task Guarded(this Task task) => task.WaitAsync(Guard);

    /// <summary>Completes when the collector has a record of the event <paramref name="eventName"/>, logged before or after the call.</summary>
    /// <exception cref="OperationCanceledException">None came within the hang guard.</exception>
    public static async Task WaitForLogAsync(this FakeLogCollector collector, string eventName)
    {
        using var guard = new CancellationTokenSource(Guard);
        await foreach (var record in collector.GetLogsAsync(guard.Token))
        {
            if (record.Id.Name == eventName)
            {
                return;
            }
        }
    }

    /// <summary>Spawns a task that ends (Cancelled) once cancellation is requested.</summary>
    public static Task<string> SpawnWaitingAsync(this BackgroundTaskManager manager, string owner = "t1") =>
        manager.SpawnAsync(owner, "wait", null, "waits for cancellation", TaskParentContext.None, async context =>
        {
            await context.WhenCancelled();
            return TaskResult.Cancelled;
        });
}
