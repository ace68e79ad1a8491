using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.Hosting.Tests;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public async Task AddBackgroundTasks_RegistersOneManagerAndOneStore_BoundTogetherOnStart()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        using var host = TestHost.Build(builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddBackgroundTasks();
        });
        await host.StartAsync().Guarded();

        var manager = host.Services.GetRequiredService<BackgroundTaskManager>();
        var store = host.Services.GetRequiredService<TaskStateStore>();
        Assert.Same(manager, host.Services.GetRequiredService<BackgroundTaskManager>());
        Assert.Same(store, host.Services.GetRequiredService<TaskStateStore>());

        var id = await manager.SpawnAsync("t1", "fetch", null, "done at once", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Success(1)));
        var done = await manager.WaitAsync(id).Guarded();
        Assert.Equal(BackgroundTaskStatus.Completed, store.Lookup(id)?.Status);
        Assert.Equal(clock.GetUtcNow(), done.CreatedAt);

        var logs = host.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Id.Name == "StoreOpened" && r.Message.Contains("InMemory", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Id.Name == "TaskSpawned" && r.Category == typeof(BackgroundTaskManager).FullName);
        await host.StopAsync().Guarded();
    }

    [Fact]
    public void AddBackgroundTasks_WithAConfigurationSection_BindsTheOptions()
    {
        using var host = TestHost.Build(
            builder => builder.Services.AddBackgroundTasks(builder.Configuration.GetSection(BackgroundTasksOptions.SectionName)),
            new Dictionary<string, string?>
            {
                ["BackgroundTasks:Store"] = "Sqlite",
                ["BackgroundTasks:SqlitePath"] = "data/tasks.db",
            });

        var options = host.Services.GetRequiredService<IOptions<BackgroundTasksOptions>>().Value;

        Assert.Equal(BackgroundTaskStoreKind.Sqlite, options.Store);
        Assert.Equal("data/tasks.db", options.SqlitePath);
    }

    [Fact]
    public void AddBackgroundTasks_WithADelegate_AppliesIt_AndDefaultsToInMemory()
    {
        using var plain = TestHost.Build(builder => builder.Services.AddBackgroundTasks());
        using var configured = TestHost.Build(builder => builder.Services.AddBackgroundTasks(o => o.SqlitePath = "x.db"));

        Assert.Equal(BackgroundTaskStoreKind.InMemory, plain.Services.GetRequiredService<IOptions<BackgroundTasksOptions>>().Value.Store);
        Assert.Equal("x.db", configured.Services.GetRequiredService<IOptions<BackgroundTasksOptions>>().Value.SqlitePath);
    }

    [Fact]
    public async Task BeforeStart_TheStoreCannotBeResolved_AndSpawnsAreRefused()
    {
        using var host = TestHost.Build(builder => builder.Services.AddBackgroundTasks());

        var resolve = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<TaskStateStore>());
        var spawn = await Assert.ThrowsAsync<SpawnException>(() => host.Services.GetRequiredService<BackgroundTaskManager>().SpawnWaitingAsync());

        Assert.Equal(HostingMessages.StoreNotOpen, resolve.Message);
        Assert.Equal(SpawnError.StoreNotConfigured, spawn.Error);
    }

    [Fact]
    public async Task StoreFactory_OpensTheStore_AndTheHostDisposesItOnStop()
    {
        var own = new TaskStateStore();
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = own.Tasks.CountChanged.Subscribe(_ => { }, completed.SetResult);
        using var host = TestHost.Build(builder => builder.Services.AddBackgroundTasks(o => o.StoreFactory = (_, _) => Task.FromResult(own)));

        await host.StartAsync().Guarded();
        Assert.Same(own, host.Services.GetRequiredService<TaskStateStore>());
        await host.StopAsync().Guarded();

        await completed.Task.Guarded();
    }

    [Fact]
    public async Task SqliteStore_KeepsRecordsAcrossHostRestarts()
    {
        var directory = Directory.CreateTempSubdirectory("bt-hosting-");
        try
        {
            var path = Path.Combine(directory.FullName, "tasks.db");
            string done;
            string stopped;
            using (var first = TestHost.Build(builder => builder.Services.AddBackgroundTasks(o =>
            {
                o.Store = BackgroundTaskStoreKind.Sqlite;
                o.SqlitePath = path;
            })))
            {
                await first.StartAsync().Guarded();
                var manager = first.Services.GetRequiredService<BackgroundTaskManager>();
                done = await manager.SpawnAsync("t1", "fetch", null, "done at once", TaskParentContext.None,
                    _ => Task.FromResult(TaskResult.Success(7)));
                await manager.WaitAsync(done).Guarded();
                stopped = await manager.SpawnAsync("t1", "wait", null, "stopped with the host", TaskParentContext.None, async context =>
                {
                    await context.WhenCancelled();
                    return TaskResult.Cancelled;
                });
                await first.StopAsync().Guarded();
            }

            using var second = TestHost.Build(builder => builder.Services.AddBackgroundTasks(o =>
            {
                o.Store = BackgroundTaskStoreKind.Sqlite;
                o.SqlitePath = path;
            }));
            await second.StartAsync().Guarded();
            var store = second.Services.GetRequiredService<TaskStateStore>();
            var reopened = second.Services.GetRequiredService<BackgroundTaskManager>();

            Assert.Equal(7, store.Lookup(done)!.Result!.Value.GetInt32());
            Assert.Equal(BackgroundTaskStatus.Cancelled, store.Lookup(stopped)!.Status);
            var next = await reopened.SpawnAsync("t1", "fetch", null, "after the restart", TaskParentContext.None,
                _ => Task.FromResult(TaskResult.Success(0)));
            Assert.Equal("bg_2", next);
            await second.StopAsync().Guarded();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void AddBackgroundTasks_NullArguments_Throw()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentNullException>("services", () => ((IServiceCollection)null!).AddBackgroundTasks());
        Assert.Throws<ArgumentNullException>("services", () => ((IServiceCollection)null!).AddBackgroundTasks(new ConfigurationBuilder().Build()));
        Assert.Throws<ArgumentNullException>("configuration", () => services.AddBackgroundTasks((IConfiguration)null!));
    }

    [Fact]
    public async Task AddBackgroundTasks_InAContainerWithoutAHost_CreatesTheManager()
    {
        await using var services = new ServiceCollection().AddBackgroundTasks().BuildServiceProvider();

        var manager = services.GetRequiredService<BackgroundTaskManager>();

        Assert.Equal(SpawnError.StoreNotConfigured, (await Assert.ThrowsAsync<SpawnException>(() => manager.SpawnWaitingAsync())).Error);
    }

    [Fact]
    public void AddBackgroundTasks_Twice_RegistersOneHostedService()
    {
        var services = new ServiceCollection().AddBackgroundTasks().AddBackgroundTasks();

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(BackgroundTaskManager));
    }
}
