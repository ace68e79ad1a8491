using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BackgroundTasks.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace BackgroundTasks.Demo.Cluster;

/// <summary>
/// The cluster of <c>--cluster n</c>: n silos and a client, each its own generic host inside the demo's process, on
/// loopback ports. Localhost clustering: silo-1 is the primary and holds the membership table, the others join it.
/// The thread records and the reminders live in one <see cref="InProcessGrainStorage"/> and one
/// <see cref="InProcessReminderTable"/> shared by all silos, so a killed silo's records and reminders outlive it
/// (the stand-in for Redis or a database; nothing to install).
/// </summary>
internal sealed class DemoCluster : IAsyncDisposable
{
    private readonly List<DemoSilo> _silos;
    private readonly IHost _client;

    private DemoCluster(List<DemoSilo> silos, IHost client)
    {
        _silos = silos;
        _client = client;
    }

    public IReadOnlyList<DemoSilo> Silos => _silos;

    public IClusterClient Client => _client.Services.GetRequiredService<IClusterClient>();

    /// <summary>Starts the silos (the primary first), then the client.</summary>
    public static async Task<DemoCluster> StartAsync(int siloCount, double timeScale)
    {
        var clusterId = "backgroundtasks-demo-" + Guid.NewGuid().ToString("N")[..8];
        var storage = new InProcessGrainStorage();
        var reminders = new InProcessReminderTable();
        var ports = FreePorts(2 * siloCount);
        var primary = new IPEndPoint(IPAddress.Loopback, ports[0]);
        var silos = new List<DemoSilo>();
        try
        {
            silos.Add(await StartSiloAsync(1, ports[0], ports[1], null, clusterId, storage, reminders, timeScale).ConfigureAwait(false));
            silos.AddRange(await Task.WhenAll(Enumerable.Range(1, siloCount - 1).Select(i =>
                StartSiloAsync(i + 1, ports[2 * i], ports[(2 * i) + 1], primary, clusterId, storage, reminders, timeScale))).ConfigureAwait(false));

            var client = Builder();
            int[] gateways = [.. Enumerable.Range(0, siloCount).Select(i => ports[(2 * i) + 1])];
            client.UseOrleansClient(orleans => orleans
                .UseLocalhostClustering(gateways, clusterId, clusterId)
                .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = SiloTimings.ResponseTimeout));
            var clientHost = client.Build();
            await clientHost.StartAsync().ConfigureAwait(false);
            return new DemoCluster(silos, clientHost);
        }
        catch
        {
            await StopAllAsync(silos).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The name of the silo at <paramref name="address"/>, or the address when it is not one of ours.</summary>
    public string NameOf(SiloAddress? address) =>
        _silos.FirstOrDefault(silo => silo.Address.Equals(address))?.Name ?? address?.ToString() ?? "no silo";

    /// <summary>
    /// Kills a silo as far as a process can kill a part of itself: its host is stopped with a token that is already
    /// cancelled, so Orleans stops it without grace. Its activations are dropped, not deactivated (the thread grains
    /// fence their storage, so nothing their abandoned bodies do is stored), and the other silos learn of its death
    /// by failure detection, as after a crash. Unlike <c>kill -9</c>, its abandoned bodies may run on in the
    /// process until they notice.
    /// </summary>
    /// <exception cref="ArgumentException">The silo is not one of this cluster's.</exception>
    /// <exception cref="InvalidOperationException">The silo is the primary, whose membership table the cluster needs.</exception>
    public async Task KillAsync(DemoSilo silo)
    {
        if (!_silos.Contains(silo))
        {
            throw new ArgumentException($"{silo.Name} is not a silo of this cluster.", nameof(silo));
        }

        if (silo.IsPrimary)
        {
            throw new InvalidOperationException($"{silo.Name} is the primary silo; the cluster's membership table dies with it.");
        }

        silo.Killed = true;
        await silo.Host.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
        silo.Host.Dispose();
    }

    /// <summary>Stops the client, then the silos gracefully, one at a time, the primary last.</summary>
    public async ValueTask DisposeAsync()
    {
        await _client.StopAsync().ConfigureAwait(false);
        _client.Dispose();
        await StopAllAsync(_silos).ConfigureAwait(false);
    }

    private static async Task StopAllAsync(List<DemoSilo> silos)
    {
        var alive = silos.Where(silo => !silo.Killed).ToList();
        // One at a time, the primary last: stopped together, a joined silo sometimes left without marking itself dead
        // in the membership table, and the primary then spent its host's whole shutdown timeout (30 s) reaching it.
        foreach (var silo in alive.OrderBy(silo => silo.IsPrimary))
        {
            await silo.Host.StopAsync().ConfigureAwait(false);
        }

        alive.ForEach(silo => silo.Host.Dispose());
    }

    private static async Task<DemoSilo> StartSiloAsync(int number, int siloPort, int gatewayPort, IPEndPoint? primary, string clusterId,
        InProcessGrainStorage storage, InProcessReminderTable reminders, double timeScale)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"silo-{number}");
        var builder = Builder();
        builder.UseOrleans(silo =>
        {
            // A null primary makes this silo the primary: it hosts the membership table the others join.
            silo.UseLocalhostClustering(siloPort, gatewayPort, primary, clusterId, clusterId);
            silo.Configure<SiloOptions>(o => o.SiloName = name);
            silo.UseInProcessStore(storage, reminders);

            // Orleans' default directory is a hash ring whose entries die with the silo that holds them: after the
            // kill, a call can then activate a second copy of a thread that lives on a surviving silo (which finds its
            // records running and orphans them). The distributed directory hands its ranges over on a membership
            // change, so a thread on a surviving silo is never activated twice.
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10; the demo's kill is what it is for.
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
            SiloTimings.Shorten(silo);

            // The placement hint the client gives each thread's first call decides where it lives (Orleans' default,
            // resource-optimized placement weighs the silos' load instead).
            silo.Services.AddSingleton<PlacementStrategy>(HintedPlacement.Instance);
            silo.Services.AddPlacementDirector<HintedPlacement, HintedPlacementDirector>();
            silo.AddBackgroundTasks(o =>
            {
                o.OrphanSweepInterval = SiloTimings.SweepInterval;
                o.ShutdownGrace = TimeSpan.FromSeconds(2);
                ClusterBodies.Register(o, timeScale);
            });
        });
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        var address = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        return new DemoSilo(name, host, address, primary is null);
    }

    private static HostApplicationBuilder Builder()
    {
        // No configuration files, environment or command line: every host of the process is set up here alone.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, ProcessLifetime>();
        return builder;
    }

    /// <summary>Ports the system has free now, so that runs side by side (tests, other demos) do not collide.</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }
}
