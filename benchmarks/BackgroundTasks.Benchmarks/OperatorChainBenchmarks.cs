using BackgroundTasks.Caching;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "What does an operator chain cost me?" <c>Connect().Filter().Transform()</c> against a bare <c>Connect()</c>,
/// in two categories with their own baseline: a <see cref="SourceCache{TObject, TKey}"/> write loop (the operators'
/// cost per change, nothing else moving), and spawn → terminal of N tasks with the chain on the store (what the
/// issue's target, ≤ 10 % of spawn throughput per operator, is about).
/// </summary>
/// <remarks>
/// The predicate keeps every item and the transform allocates one small record, so each change goes through both
/// operators: the worst case of the chain, not a filter that drops most changes.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OperatorChainBenchmarks
{
    private const string Writes = "SourceCache writes";
    private const string Spawns = "Spawn to terminal";
    private const int N = 10_000;
    private const int Keys = 1_000;

    private readonly Row[] _rows = Enumerable.Range(0, N).Select(i => new Row(i % Keys, i)).ToArray();

    [BenchmarkCategory(Writes), Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "Connect()")]
    public long WritesConnect() => Write(static cache => cache.Connect());

    [BenchmarkCategory(Writes), Benchmark(OperationsPerInvoke = N, Description = "Connect().Filter()")]
    public long WritesFilter() => Write(static cache => cache.Connect().Filter(static row => row.Value >= 0));

    [BenchmarkCategory(Writes), Benchmark(OperationsPerInvoke = N, Description = "Connect().Filter().Transform()")]
    public long WritesFilterTransform() => Write(static cache => cache.Connect()
        .Filter(static row => row.Value >= 0)
        .Transform(static row => new Projection(row.Value)));

    [BenchmarkCategory(Spawns), Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "Connect()")]
    public Task SpawnsConnect() => SpawnAsync(static manager => manager.Connect());

    [BenchmarkCategory(Spawns), Benchmark(OperationsPerInvoke = N, Description = "Connect().Filter()")]
    public Task SpawnsFilter() => SpawnAsync(static manager => manager.Connect()
        .Filter(static summary => summary.Status != BackgroundTaskStatus.Cancelled));

    [BenchmarkCategory(Spawns), Benchmark(OperationsPerInvoke = N, Description = "Connect().Filter().Transform()")]
    public Task SpawnsFilterTransform() => SpawnAsync(static manager => manager.Connect()
        .Filter(static summary => summary.Status != BackgroundTaskStatus.Cancelled)
        .Transform(static summary => new Projection((int)summary.Status)));

    private static async Task SpawnAsync<T>(Func<BackgroundTaskManager, IObservable<T>> chain)
    {
        await using var manager = Workload.NewManager();
        using var subscription = chain(manager).Subscribe(new CountingObserver<T>());
        await Workload.SpawnAndAwaitAllAsync(manager, N);
    }

    private long Write<T>(Func<SourceCache<Row, int>, IObservable<T>> chain)
    {
        using var cache = new SourceCache<Row, int>(static row => row.Key);
        var observer = new CountingObserver<T>();
        using var subscription = chain(cache).Subscribe(observer);
        foreach (Row row in _rows)
        {
            cache.AddOrUpdate(row);
        }

        return observer.Count;
    }

    /// <summary>What the write loop stores: 1k keys, so most writes are updates.</summary>
    private sealed record Row(int Key, int Value);

    /// <summary>What the transform makes.</summary>
    private sealed record Projection(int Value);
}
