using BackgroundTasks.Orleans.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace BackgroundTasks.Orleans.Tests.MultiProcess;

/// <summary>
/// Three silo processes and a client on localhost, clustering, storing thread records and keeping reminders in a real
/// Redis server: <c>kill -9</c> of the process hosting a thread with live tasks, and its records come back as orphans
/// on another process without a call from the test.
/// </summary>
public sealed class MultiProcessFailoverTests(ITestOutputHelper output)
{
    /// <summary>Generous: three processes start on a shared 2-core machine, and a death must be detected by peers.</summary>
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output = output;

    [RedisFact]
    public async Task KilledSiloProcess_HostOfLiveTasks_TheirRecordsBecomeOrphansOnAnotherProcess_AndIdsContinue()
    {
        var redis = RedisFactAttribute.Address;
        await AssertReachableAsync(redis);
        var clusterId = "bt-" + Guid.NewGuid().ToString("N")[..12];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var starting = Enumerable.Range(0, 3).Select(_ => SiloProcess.StartAsync(redis, clusterId, s_guard)).ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            // Those that did start must not outlive the test.
            new Cleanup(starting).Dispose();
            throw;
        }

        using var silos = new Cleanup(starting);
        _output.WriteLine($"3 silos up after {clock.Elapsed}");
        using var client = await StartClientAsync(redis, clusterId);
        var grains = client.Services.GetRequiredService<IClusterClient>();

        var thread = ClusterFixture.NewThreadId("processes");
        var grain = grains.GetBackgroundTaskThread(thread);
        var where = await grain.SpawnAsync("where", null, "which process hosts this thread", TaskParentContext.None, default);
        var hostId = await ProcessOfAsync(grains, thread, where);
        var task = await grain.SpawnAsync("wait", "w", "runs until cancelled", TaskParentContext.None, default);
        var agent = await grain.SpawnAgentAsync("listener", null, "waits for a message", TaskParentContext.None, default);
        using var observed = new ObservedThread(grains.ConnectThread(thread));
        await observed.WhenAsync(view => view.Count == 3).WaitAsync(s_guard);
        var host = silos.Silos.Single(silo => silo.ProcessId == hostId);

        // A second thread on the same process that gets no call after the kill: only its reminder can bring it back.
        var quietThread = await ThreadHostedByAsync(grains, hostId);
        var quiet = await grains.GetBackgroundTaskThread(quietThread).SpawnAsync("wait", null, "nobody calls", TaskParentContext.None, default);
        await using var quietWrites = await StorageWrites.WatchAsync(redis, clusterId, quietThread);

        host.Kill();
        quietWrites.Arm();
        _output.WriteLine($"killed process {hostId} after {clock.Elapsed}");

        // The observer subscribed before the kill is the only caller: the reminder or its reconnect brings the thread back.
        await observed.WhenAsync(view => IsOrphan(view[task]) && IsOrphan(view[agent])).WaitAsync(s_guard);
        _output.WriteLine($"orphans observed after {clock.Elapsed}");
        var records = await grain.ListAsync();
        Assert.Equal(BackgroundTaskStatus.Completed, records.Single(record => record.TaskId == where).Status);
        Assert.True(IsOrphan(records.Single(record => record.TaskId == task)));
        Assert.True(IsOrphan(records.Single(record => record.TaskId == agent)));

        var next = await grain.SpawnAsync("where", null, "which process hosts it now", TaskParentContext.None, default);
        Assert.Equal(("bg_0", "bg_1", "bg_2", "bg_3"), (where, task, agent, next));
        var newHostId = await ProcessOfAsync(grains, thread, next);
        Assert.NotEqual(hostId, newHostId);
        Assert.Contains(newHostId, silos.Silos.Where(silo => silo != host).Select(silo => silo.ProcessId));

        var swept = await quietWrites.Written.WaitAsync(s_guard);
        _output.WriteLine($"quiet thread saved after {clock.Elapsed}");
        var quietRecord = await grains.GetBackgroundTaskThread(quietThread).GetAsync(quiet);
        Assert.True(IsOrphan(quietRecord!));
        Assert.True(quietRecord!.CompletedAt <= swept, $"The quiet thread's orphan was marked at {quietRecord.CompletedAt}, after its save at {swept}.");
    }

    /// <summary>A new thread whose grain Orleans placed on process <paramref name="processId"/> (placement is random: try a few at once).</summary>
    private static async Task<string> ThreadHostedByAsync(IClusterClient grains, int processId)
    {
        for (var round = 0; round < 10; round++)
        {
            var candidates = Enumerable.Range(0, 6).Select(_ => ClusterFixture.NewThreadId("quiet")).ToList();
            var hosts = await Task.WhenAll(candidates.Select(async candidate =>
            {
                var where = await grains.GetBackgroundTaskThread(candidate).SpawnAsync("where", null, "which process", TaskParentContext.None, default);
                return await ProcessOfAsync(grains, candidate, where);
            }));
            if (Array.IndexOf(hosts, processId) is var found and >= 0)
            {
                return candidates[found];
            }
        }

        throw new InvalidOperationException($"No thread grain was placed on process {processId} in 60 tries.");
    }

    private static bool IsOrphan(TaskSummary record) =>
        record.Status == BackgroundTaskStatus.Failed && record.Error == BackgroundTaskManager.OrphanedTaskError && record.CompletedAt is not null;

    private static async Task<int> ProcessOfAsync(IClusterClient grains, string thread, string whereTask)
    {
        var done = await grains.WaitAsync(thread, whereTask).WaitAsync(s_guard);
        Assert.Equal(BackgroundTaskStatus.Completed, done.Status);
        return done.Result!.Value.GetInt32();
    }

    private static async Task AssertReachableAsync(string redis)
    {
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
            await connection.GetDatabase().PingAsync();
        }
        catch (RedisException e)
        {
            Assert.Fail($"The Redis server {RedisFactAttribute.Variable}={redis} cannot be reached: {e.Message}");
        }
    }

    private static async Task<IHost> StartClientAsync(string redis, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();

        // Orleans logs every connection the kill resets: the test's own lines are what matters in its output.
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
            client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = SiloTimings.ResponseTimeout);
        });
        var host = builder.Build();
        await host.StartAsync().WaitAsync(s_guard);
        return host;
    }

    /// <summary>Kills every silo process that started.</summary>
    private sealed class Cleanup(IReadOnlyList<Task<SiloProcess>> starting) : IDisposable
    {
        public IReadOnlyList<SiloProcess> Silos { get; } =
            [.. starting.Where(start => start.IsCompletedSuccessfully).Select(start => start.Result)];

        public void Dispose()
        {
            foreach (var silo in Silos)
            {
                silo.Dispose();
            }
        }
    }
}
