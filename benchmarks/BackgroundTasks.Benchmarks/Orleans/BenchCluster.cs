using System.Globalization;
using System.Text.Json;
using BackgroundTasks.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Core;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace BackgroundTasks.Benchmarks.Orleans;

/// <summary>
/// An in-process Orleans cluster (one process, its silos and one client) whose silos host the thread grains with the
/// benchmark's trivial body, over the package's in-process grain storage and reminder table (one instance for all
/// silos, so records survive a silo as in a database). Started once per
/// benchmark process; each invocation works on fresh threads, activated before it and deactivated after it.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private const string StorageName = "BackgroundTasks";

    // The name the thread grain's persistence stores its state under (GrainStorageTaskPersistence.StateName).
    private const string StateName = "backgroundtasks";

    private readonly CountingGrainStorage _storage;
    private readonly InProcessTestCluster _cluster;
    private int _nextThread;
    private long _writesMark;
    private long _recordsMark;

    private BenchCluster(InProcessTestCluster cluster, CountingGrainStorage storage)
    {
        _cluster = cluster;
        _storage = storage;
    }

    public IClusterClient Client => _cluster.Client;

    /// <summary>
    /// The storage writes since the last new threads were made ready, per task of <paramref name="tasks"/>, as a
    /// benchmark log line: load-independent signals of what a spawn costs (each write carries the thread's whole state).
    /// </summary>
    public string StorageWritesSinceReady(int tasks)
    {
        var writes = _storage.Writes - Interlocked.Read(ref _writesMark);
        var records = _storage.RecordsWritten - Interlocked.Read(ref _recordsMark);
        return string.Create(CultureInfo.InvariantCulture,
            $"// Storage per task: {(double)writes / tasks:F2} writes carrying {(double)records / tasks:F1} records");
    }

    /// <summary>Starts <paramref name="silos"/> silos and the client, and waits until every silo is in the cluster.</summary>
    public static async Task<BenchCluster> StartAsync(int silos)
    {
        var storage = new CountingGrainStorage(new InProcessGrainStorage());
        var reminders = new InProcessReminderTable();
        var builder = new InProcessTestClusterBuilder((short)silos);

        // The test host writes a log file per silo and client into the working directory by default.
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<IReminderTable>(reminders);
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageName, storage);
            silo.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            silo.AddBackgroundTasks(o => o.AddTask(Workload.TaskType, static async (_, _) =>
            {
                await Task.Yield();
                return TaskResult.Success(Workload.Value);
            }));
        });
        builder.ConfigureClient(client => client.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        await cluster.WaitForLivenessToStabilizeAsync();
        return new BenchCluster(cluster, storage);
    }

    /// <summary>
    /// <paramref name="count"/> thread ids never used before, each activated (its store opened from the storage) so
    /// that what is timed after is the steady state of live threads, not their first activation.
    /// </summary>
    public async Task<string[]> NewThreadsAsync(int count)
    {
        var threads = new string[count];
        for (var i = 0; i < count; i++)
        {
            threads[i] = "bench-" + Interlocked.Increment(ref _nextThread).ToString(CultureInfo.InvariantCulture);
        }

        await Task.WhenAll(threads.Select(thread => Client.GetBackgroundTaskThread(thread).HasRunningAsync()));
        MarkStorage();
        return threads;
    }

    /// <summary>
    /// A thread id never used before whose stored state already holds <paramref name="records"/> (terminal records
    /// re-owned to it), activated: the grain loaded them, and every later save rewrites them all.
    /// </summary>
    public async Task<string> NewThreadWithRecordsAsync(IReadOnlyList<TaskSummary> records)
    {
        var thread = "bench-" + Interlocked.Increment(ref _nextThread).ToString(CultureInfo.InvariantCulture);
        var state = new ThreadRecordsState
        {
            Records = [.. records.Select(record => JsonSerializer.Serialize(record with { OwnerThreadId = thread }))],
        };
        await _storage.WriteStateAsync(StateName, GrainIdOf(thread), new GrainState<ThreadRecordsState>(state));
        await Client.GetBackgroundTaskThread(thread).HasRunningAsync();
        MarkStorage();
        return thread;
    }

    /// <summary>
    /// Where <paramref name="threads"/> are now: how many each live silo hosts (Orleans placed them), as
    /// <c>"3 silos: 334 / 333 / 333"</c>; threads with no activation count as "none".
    /// </summary>
    public string Placement(IEnumerable<string> threads)
    {
        var silos = _cluster.GetActiveSilos().Select(silo => silo.SiloAddress).ToList();
        var hosts = threads
            .Select(thread => _cluster.TryGetGrainContext(GrainIdOf(thread), out var context) ? context.Address.SiloAddress : null)
            .ToList();
        var counts = silos.Select(silo => hosts.Count(host => host == silo).ToString(CultureInfo.InvariantCulture));
        var none = hosts.Count(host => host is null);
        return $"{silos.Count} silos: {string.Join(" / ", counts)}" + (none > 0 ? $", none: {none}" : "");
    }

    /// <summary>Deactivates the threads (their managers and stores are disposed) and forgets their stored records.</summary>
    public async Task RetireAsync(IEnumerable<string> threads)
    {
        var ids = threads.Select(GrainIdOf).ToList();
        await Task.WhenAll(ids.Select(id => _cluster.DeactivateAsync(id)));
        foreach (var id in ids)
        {
            await _storage.ClearStateAsync(StateName, id, new GrainState<ThreadRecordsState>());
        }
    }

    private void MarkStorage()
    {
        Interlocked.Exchange(ref _writesMark, _storage.Writes);
        Interlocked.Exchange(ref _recordsMark, _storage.RecordsWritten);
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private GrainId GrainIdOf(string thread) => Client.GetBackgroundTaskThread(thread).GetGrainId();
}
