using BackgroundTasks.Benchmarks.Peer;
using BenchmarkDotNet.Attributes;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "How fast can I spawn?" N trivial tasks spawned on one owner thread and all awaited to their terminal
/// record, against the floor (Task.Run + a record + a token source per task) and the Akka.NET peer (one actor
/// per task reporting to a sink), and as the manager is used: with a Connect() subscriber, with an owner inbox.
/// </summary>
[MemoryDiagnoser]
public class SpawnThroughputBenchmarks
{
    private AkkaPeer _akka = null!;

    [Params(10_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => _akka = new AkkaPeer();

    [GlobalCleanup]
    public void Cleanup() => _akka.ShutdownAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Floor: Task.Run + record + CTS")]
    public Task Floor() => new FloorRuntime().SpawnAndAwaitAllAsync(N);

    [Benchmark(Description = "Akka.NET: actor per task + sink")]
    public Task Akka() => _akka.SpawnAndAwaitAllAsync(N);

    [Benchmark(Description = "Manager")]
    public async Task Manager()
    {
        await using var manager = Workload.NewManager();
        await Workload.SpawnAndAwaitAllAsync(manager, N);
    }

    [Benchmark(Description = "Manager + 1 Connect()")]
    public async Task ManagerWithConnect()
    {
        await using var manager = Workload.NewManager();
        var observer = new CountingObserver<object>();
        using (manager.Connect().Subscribe(observer))
        {
            await Workload.SpawnAndAwaitAllAsync(manager, N);
        }
    }

    [Benchmark(Description = "Manager + owner inbox")]
    public async Task ManagerWithOwnerInbox()
    {
        await using var manager = Workload.NewManager();
        var (sender, receiver) = Inbox.Create();
        manager.SetOwnerInbox(sender);
        await Workload.SpawnAndAwaitAllAsync(manager, N);
        receiver.Drain();
    }
}
