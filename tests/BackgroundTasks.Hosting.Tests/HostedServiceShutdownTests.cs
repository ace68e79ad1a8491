using BackgroundTasks.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BackgroundTasks.Hosting.Tests;

/// <summary>How the hosted service bounds a host's stop and disposal (the SIGTERM test runs the same in a real process).</summary>
public sealed class HostedServiceShutdownTests
{
    [Theory]
    [InlineData(2_000, "00:00:01.5000000")]
    [InlineData(null, "00:00:25")]
    public async Task AddBackgroundTasks_CutsTheManagersShutdownGrace_FromTheHostsShutdownTimeout(int? timeoutMilliseconds, string grace)
    {
        using var host = TestHost.Build(builder =>
        {
            if (timeoutMilliseconds is { } milliseconds)
            {
                builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromMilliseconds(milliseconds));
            }

            builder.Services.AddBackgroundTasks();
        });
        await host.StartAsync().Guarded();

        await host.StopAsync().Guarded();

        var stopping = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "StoppingTasks");
        Assert.Contains($"waiting up to {grace} for them", stopping.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostDisposedWithoutStop_StopsTheTasks_AndClosesTheDurableStore()
    {
        var directory = Directory.CreateTempSubdirectory("bt-hosting-");
        try
        {
            var path = Path.Combine(directory.FullName, "tasks.db");
            var host = TestHost.Build(builder => builder.Services.AddBackgroundTasks(o =>
            {
                o.Store = BackgroundTaskStoreKind.Sqlite;
                o.SqlitePath = path;
            }));
            await host.StartAsync().Guarded();
            var id = await host.Services.GetRequiredService<BackgroundTaskManager>().SpawnWaitingAsync();

            // As `using var host` does when Main returns without stopping the host: the container's disposal alone.
            await Task.Run(host.Dispose).Guarded();

            await using var store = await TaskStateStore.OpenAsync(new SqliteTaskStatePersistence(path)).Guarded();
            Assert.Equal(BackgroundTaskStatus.Cancelled, store.Lookup(id)?.Status);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
