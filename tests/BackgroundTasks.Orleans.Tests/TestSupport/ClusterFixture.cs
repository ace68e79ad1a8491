using BackgroundTasks.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace BackgroundTasks.Orleans.Tests.TestSupport;

/// <summary>
/// Three in-process silos sharing a grain storage and a reminder table that outlive any one of them, with failure
/// detection and the orphan sweep shortened so a killed silo's threads come back within seconds.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan SweepInterval = SiloTimings.SweepInterval;

    public static readonly TimeSpan ResponseTimeout = SiloTimings.ResponseTimeout;

    /// <summary>Generous: a silo's death must first be detected by its peers.</summary>
    public static readonly TimeSpan FailoverGuard = TimeSpan.FromSeconds(60);

    private readonly InProcessReminderTable _reminders = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The records of every thread of this cluster, as its silos stored them.</summary>
    internal SharedGrainStorage Storage { get; } = new();

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<IReminderTable>(_reminders);
            silo.Services.AddKeyedSingleton<global::Orleans.Storage.IGrainStorage>("BackgroundTasks", Storage);
            SiloTimings.Shorten(silo);
            silo.AddBackgroundTasks(o =>
            {
                o.OrphanSweepInterval = SweepInterval;
                o.ShutdownGrace = TimeSpan.FromSeconds(5);
                TestBodies.Register(o);
            });
        });
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>The silo that hosts a thread's activation now (activating it if need be).</summary>
    public async Task<SiloAddress> HostOfAsync(string ownerThreadId)
    {
        await Client.GetBackgroundTaskThread(ownerThreadId).HasRunningAsync();
        var grainId = Client.GetBackgroundTaskThread(ownerThreadId).GetGrainId();
        if (Cluster.TryGetGrainContext(grainId, out var context))
        {
            return context.Address.SiloAddress!;
        }

        throw new InvalidOperationException($"Thread '{ownerThreadId}' has no activation.");
    }

    public static string NewThreadId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
