using BenchmarkDotNet.Attributes;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "What does each Connect() subscriber cost me?" Spawn → terminal throughput of N tasks with 0, 1 and 10
/// subscribers to the store's change sets.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private const int N = 10_000;

    [Benchmark(Baseline = true, Description = "0 subscribers")]
    public Task NoSubscribers() => RunAsync(0);

    [Benchmark(Description = "1 subscriber")]
    public Task OneSubscriber() => RunAsync(1);

    [Benchmark(Description = "10 subscribers")]
    public Task TenSubscribers() => RunAsync(10);

    private static async Task RunAsync(int subscribers)
    {
        await using var manager = Workload.NewManager();
        var subscriptions = new IDisposable[subscribers];
        for (var i = 0; i < subscribers; i++)
        {
            subscriptions[i] = manager.Connect().Subscribe(new CountingObserver<object>());
        }

        await Workload.SpawnAndAwaitAllAsync(manager, N);
        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }
    }
}
