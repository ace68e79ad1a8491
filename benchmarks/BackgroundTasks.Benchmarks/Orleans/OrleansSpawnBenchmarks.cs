using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;

namespace BackgroundTasks.Benchmarks.Orleans;

/// <summary>
/// "What does the wire cost?" Spawn → terminal of N trivial tasks on one owner thread, in process (the baseline: a
/// manager over the in-memory store) and through the thread grain from a client of an in-process 1-silo cluster
/// (<see cref="GrainWorkload"/>: each spawn a grain call, each terminal awaited with the client's <c>WaitAsync</c>).
/// The grain's thread starts empty, or already holding 10,000 terminal records (the grain rewrites its whole state on
/// every save, so a long conversation pays for its history on every spawn and every end).
/// </summary>
/// <remarks>
/// The cluster starts once per process (<c>GlobalSetup</c>). Every invocation gets a fresh thread, activated in
/// <c>IterationSetup</c> (its first activation, storage read and manager are not timed) and deactivated, its records
/// cleared, in <c>IterationCleanup</c>, so no invocation inherits the records of the one before. The baseline gets a
/// fresh manager the same way. That makes BenchmarkDotNet run one invocation per iteration.
/// </remarks>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "GlobalCleanup disposes the cluster; IterationCleanup the manager.")]
public class OrleansSpawnBenchmarks
{
    private const int ExistingRecords = 10_000;

    private BenchCluster? _cluster;
    private IReadOnlyList<TaskSummary> _history = [];
    private BackgroundTaskManager? _manager;
    private string _thread = "";

    [Params(1_000)]
    public int N { get; set; }

    [GlobalSetup(Targets = [nameof(Grain), nameof(GrainBurst), nameof(GrainWithHistory)])]
    public void StartCluster()
    {
        _cluster = BenchCluster.StartAsync(silos: 1).GetAwaiter().GetResult();
        _history = History(ExistingRecords);
    }

    [GlobalCleanup(Targets = [nameof(Grain), nameof(GrainBurst), nameof(GrainWithHistory)])]
    public void StopCluster() => _cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [IterationSetup(Target = nameof(InProcess))]
    public void NewManager() => _manager = Workload.NewManager();

    [IterationCleanup(Target = nameof(InProcess))]
    public void DisposeManager() => _manager?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [IterationSetup(Targets = [nameof(Grain), nameof(GrainBurst)])]
    public void NewThread() => _thread = _cluster!.NewThreadsAsync(1).GetAwaiter().GetResult()[0];

    [IterationSetup(Target = nameof(GrainWithHistory))]
    public void NewThreadWithHistory() => _thread = _cluster!.NewThreadWithRecordsAsync(_history).GetAwaiter().GetResult();

    [IterationCleanup(Targets = [nameof(Grain), nameof(GrainBurst), nameof(GrainWithHistory)])]
    public void RetireThread()
    {
        Console.WriteLine(_cluster!.StorageWritesSinceReady(N));
        _cluster.RetireAsync([_thread]).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "In process (manager, in-memory store)")]
    public Task InProcess() => Workload.SpawnAndAwaitAllAsync(_manager!, N);

    [Benchmark(Description = "Thread grain, 1 silo, awaited spawns + WaitAsync")]
    public Task Grain() => GrainWorkload.SpawnAndAwaitAllAsync(_cluster!.Client, _thread, N);

    [Benchmark(Description = "Thread grain, 1 silo, burst of spawns + WaitAsync")]
    public Task GrainBurst() => GrainWorkload.SpawnBurstAndAwaitAllAsync(_cluster!.Client, _thread, N);

    [Benchmark(Description = "Thread grain, 1 silo, awaited spawns, thread holding 10k records")]
    public Task GrainWithHistory() => GrainWorkload.SpawnAndAwaitAllAsync(_cluster!.Client, _thread, N);

    /// <summary>The terminal records of <paramref name="count"/> trivial tasks, as an in-process manager stores them.</summary>
    private static IReadOnlyList<TaskSummary> History(int count)
    {
        var manager = Workload.NewManager();
        try
        {
            Workload.SpawnAndAwaitAllAsync(manager, count).GetAwaiter().GetResult();
            return manager.ListAsync(Workload.Owner).GetAwaiter().GetResult();
        }
        finally
        {
            manager.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
