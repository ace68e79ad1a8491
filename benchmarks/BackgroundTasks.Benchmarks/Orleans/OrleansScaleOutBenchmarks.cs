using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace BackgroundTasks.Benchmarks.Orleans;

/// <summary>
/// "Does a second and third silo help?" <see cref="Threads"/> owner threads × <see cref="TasksPerThread"/> trivial
/// tasks each, through the thread grains from one client, on an in-process cluster of 1 silo (the baseline) and of 3
/// silos, all in this one process on the same cores, over the storage the Orleans tests share between silos (records
/// survive a silo, as the contract promises). Every thread runs its own caller at once: its spawns one after the other,
/// then a <c>WaitAsync</c> per task; the threads' callers run concurrently, as many conversations do.
/// </summary>
/// <remarks>
/// The shape is 1,000 threads × 100 tasks (100k tasks per invocation), which takes tens of seconds per
/// invocation here, so <see cref="TasksPerThread"/> is 10 unless the environment variable
/// <c>BGTASKS_TASKS_PER_THREAD</c> says otherwise (<c>BGTASKS_TASKS_PER_THREAD=100</c> for the full shape). Each
/// invocation gets fresh threads, activated in <c>IterationSetup</c> (placement, storage read and manager are not
/// timed) and deactivated, their records cleared, in <c>IterationCleanup</c>.
/// </remarks>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "GlobalCleanup disposes the cluster.")]
public class OrleansScaleOutBenchmarks
{
    private BenchCluster? _cluster;
    private string[] _threads = [];

    [Params(1_000)]
    public int Threads { get; set; }

    [ParamsSource(nameof(TaskCounts))]
    public int TasksPerThread { get; set; }

    public static IEnumerable<int> TaskCounts =>
        [int.TryParse(Environment.GetEnvironmentVariable("BGTASKS_TASKS_PER_THREAD"), CultureInfo.InvariantCulture, out var count) ? count : 10];

    [GlobalSetup(Target = nameof(OneSilo))]
    public void StartOneSilo() => _cluster = BenchCluster.StartAsync(silos: 1).GetAwaiter().GetResult();

    [GlobalSetup(Target = nameof(ThreeSilos))]
    public void StartThreeSilos() => _cluster = BenchCluster.StartAsync(silos: 3).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void StopCluster() => _cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [IterationSetup]
    public void NewThreads()
    {
        _threads = _cluster!.NewThreadsAsync(Threads).GetAwaiter().GetResult();

        // In the log, so a run shows that the threads did spread over the silos.
        Console.WriteLine("// Threads per silo: " + _cluster.Placement(_threads));
    }

    [IterationCleanup]
    public void RetireThreads()
    {
        Console.WriteLine(_cluster!.StorageWritesSinceReady(Threads * TasksPerThread));
        _cluster.RetireAsync(_threads).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "1 silo")]
    public Task OneSilo() => RunAsync();

    [Benchmark(Description = "3 silos")]
    public Task ThreeSilos() => RunAsync();

    private Task RunAsync() =>
        Task.WhenAll(_threads.Select(thread => GrainWorkload.SpawnAndAwaitAllAsync(_cluster!.Client, thread, TasksPerThread)));
}
