using BackgroundTasks.Benchmarks.Peer;
using BenchmarkDotNet.Attributes;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "How much garbage does one task make?" The same spawn → terminal run as <see cref="SpawnThroughputBenchmarks"/>,
/// reported per task (OperationsPerInvoke), so the Allocated column is bytes per spawned-and-completed task.
/// </summary>
[MemoryDiagnoser]
public class AllocationBenchmarks
{
    private const int N = 10_000;
    private AkkaPeer _akka = null!;

    [GlobalSetup]
    public void Setup() => _akka = new AkkaPeer();

    [GlobalCleanup]
    public void Cleanup() => _akka.ShutdownAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "Floor, per task")]
    public Task Floor() => new FloorRuntime().SpawnAndAwaitAllAsync(N);

    [Benchmark(OperationsPerInvoke = N, Description = "Akka.NET, per task")]
    public Task Akka() => _akka.SpawnAndAwaitAllAsync(N);

    [Benchmark(OperationsPerInvoke = N, Description = "Manager, per task")]
    public async Task Manager()
    {
        await using var manager = Workload.NewManager();
        await Workload.SpawnAndAwaitAllAsync(manager, N);
    }
}
