using System.Diagnostics.CodeAnalysis;
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
/// <para>
/// The predicate keeps every item and the transform allocates one small record, so each change goes through both
/// operators: the worst case of the chain, not a filter that drops most changes.
/// </para>
/// <para>
/// The spawn category measures a steady state, because the operators' cost (tens of nanoseconds per change) is a
/// few percent of a spawn and a fresh manager per invocation made the category's noise (±10 %) larger than that:
/// building and disposing a manager and its store, growing the store's dictionaries to N records (large-object heap
/// arrays, hence gen 2 collections) and the chain's own state from empty. Here each benchmark has one manager and one
/// chain for the whole run, and the store keeps at most <see cref="RetainedPerOwner"/> terminal records of the owner
/// (once full, the oldest leaves as each task ends, which the chain sees as a remove), so every invocation after the
/// first starts from the same state and spawns <see cref="SpawnCount"/> tasks.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "GlobalCleanup disposes the manager and the chain of the spawn benchmarks.")]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OperatorChainBenchmarks
{
    private const string Writes = "SourceCache writes";
    private const string Spawns = "Spawn to terminal";
    private const int N = 10_000;
    private const int Keys = 1_000;
    private const int SpawnCount = 20_000;
    // Two invocations' worth: a task is still in the store when its invocation waits for it (WaitAsync of an evicted id
    // throws), and the store's size, hence its dictionaries' capacity, is the same from the second invocation on.
    private const int RetainedPerOwner = 2 * SpawnCount;

    private readonly Row[] _rows = Enumerable.Range(0, N).Select(i => new Row(i % Keys, i)).ToArray();
    private BackgroundTaskManager? _manager;
    private IDisposable? _subscription;

    [BenchmarkCategory(Writes), Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "Connect()")]
    public long WritesConnect() => Write(static cache => cache.Connect());

    [BenchmarkCategory(Writes), Benchmark(OperationsPerInvoke = N, Description = "Connect().Filter()")]
    public long WritesFilter() => Write(static cache => cache.Connect().Filter(static row => row.Value >= 0));

    [BenchmarkCategory(Writes), Benchmark(OperationsPerInvoke = N, Description = "Connect().Filter().Transform()")]
    public long WritesFilterTransform() => Write(static cache => cache.Connect()
        .Filter(static row => row.Value >= 0)
        .Transform(static row => new Projection(row.Value)));

    [GlobalSetup(Target = nameof(SpawnsConnect))]
    public void SetUpConnect() => SetUp(static manager => manager.Connect());

    [GlobalSetup(Target = nameof(SpawnsFilter))]
    public void SetUpFilter() => SetUp(static manager => manager.Connect()
        .Filter(static summary => summary.Status != BackgroundTaskStatus.Cancelled));

    [GlobalSetup(Target = nameof(SpawnsFilterTransform))]
    public void SetUpFilterTransform() => SetUp(static manager => manager.Connect()
        .Filter(static summary => summary.Status != BackgroundTaskStatus.Cancelled)
        .Transform(static summary => new Projection((int)summary.Status)));

    [GlobalCleanup(Targets = [nameof(SpawnsConnect), nameof(SpawnsFilter), nameof(SpawnsFilterTransform)])]
    public void CleanUp()
    {
        _subscription?.Dispose();
        _manager?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _subscription = null;
        _manager = null;
    }

    [BenchmarkCategory(Spawns), Benchmark(Baseline = true, OperationsPerInvoke = SpawnCount, Description = "Connect()")]
    public Task SpawnsConnect() => Workload.SpawnAndAwaitAllAsync(_manager!, SpawnCount);

    [BenchmarkCategory(Spawns), Benchmark(OperationsPerInvoke = SpawnCount, Description = "Connect().Filter()")]
    public Task SpawnsFilter() => Workload.SpawnAndAwaitAllAsync(_manager!, SpawnCount);

    [BenchmarkCategory(Spawns), Benchmark(OperationsPerInvoke = SpawnCount, Description = "Connect().Filter().Transform()")]
    public Task SpawnsFilterTransform() => Workload.SpawnAndAwaitAllAsync(_manager!, SpawnCount);

    private void SetUp<T>(Func<BackgroundTaskManager, IObservable<T>> chain)
    {
        _manager = new BackgroundTaskManager(new TaskStateStore(new TaskStateStoreOptions { MaxTerminalPerOwner = RetainedPerOwner }));
        _subscription = chain(_manager).Subscribe(new CountingObserver<T>());
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
