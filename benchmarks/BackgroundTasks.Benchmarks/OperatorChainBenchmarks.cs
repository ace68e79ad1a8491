using System.Diagnostics.CodeAnalysis;
using BackgroundTasks.Caching;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "What does an operator chain cost me?" <c>Connect().Filter().Transform()</c> against a bare <c>Connect()</c>,
/// in categories each with its own baseline: a <see cref="SourceCache{TObject, TKey}"/> write loop (the operators'
/// cost per change, nothing else moving), and spawn → terminal of N tasks with the chain on the store (what the
/// issue's target, ≤ 10 % of spawn throughput per operator, is about), with one chain or 8.
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
/// first starts from the same state and spawns <see cref="SpawnCount"/> tasks. Since even then an operator's few percent
/// sit inside the machine's noise, a third category puts 8 chains on the store: 8 times the operators' cost against
/// the same spawn, so one operator's share is the difference to that category's baseline divided by 8.
/// </para>
/// <para>
/// That category holds 40k terminal records per chain: each chain's operators keep an entry per record (Filter its
/// key, Transform its key and projection, 320k projections for 8 chains), so what it measures is mostly the cost of
/// that retained state (the garbage collector promoting and tracing it, hash lookups missing the cache), and the
/// same retention makes the spawn itself several times slower than with a small store. A fourth category,
/// "8 chains, 1k retained", is the same with a store that keeps <see cref="SmallStoreRetained"/> terminal records of
/// the owner (what a UI showing recent tasks holds): since a task evicted before it is awaited cannot be awaited,
/// it spawns in windows of <see cref="SmallStoreWindow"/> tasks, each awaited before the next, so fewer tasks are in
/// flight at once than in the other categories. Both are reported; neither replaces the other.
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
    private const string SpawnsAmplified = "Spawn to terminal, 8 chains";
    private const string SpawnsSmallStore = "Spawn to terminal, 8 chains, 1k retained";
    private const int Chains = 8;
    private const int N = 10_000;
    private const int Keys = 1_000;
    private const int SpawnCount = 20_000;
    // Two invocations' worth: a task is still in the store when its invocation waits for it (WaitAsync of an evicted id
    // throws), and the store's size, hence its dictionaries' capacity, is the same from the second invocation on.
    private const int RetainedPerOwner = 2 * SpawnCount;
    private const int SmallStoreRetained = 1_000;
    // Half the store: a window's tasks are the newest terminal records, so none is evicted before it is awaited.
    private const int SmallStoreWindow = SmallStoreRetained / 2;

    private readonly Row[] _rows = Enumerable.Range(0, N).Select(i => new Row(i % Keys, i)).ToArray();
    private BackgroundTaskManager? _manager;
    private IDisposable[] _subscriptions = [];

    [BenchmarkCategory(Writes), Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "Connect()")]
    public long WritesConnect() => Write(static cache => cache.Connect());

    [BenchmarkCategory(Writes), Benchmark(OperationsPerInvoke = N, Description = "Connect().Filter()")]
    public long WritesFilter() => Write(static cache => cache.Connect().Filter(static row => row.Value >= 0));

    [BenchmarkCategory(Writes), Benchmark(OperationsPerInvoke = N, Description = "Connect().Filter().Transform()")]
    public long WritesFilterTransform() => Write(static cache => cache.Connect()
        .Filter(static row => row.Value >= 0)
        .Transform(static row => new Projection(row.Value)));

    [GlobalSetup(Target = nameof(SpawnsConnect))]
    public void SetUpConnect() => SetUp(1, ConnectOnly);

    [GlobalSetup(Target = nameof(SpawnsFilter))]
    public void SetUpFilter() => SetUp(1, ConnectFilter);

    [GlobalSetup(Target = nameof(SpawnsFilterTransform))]
    public void SetUpFilterTransform() => SetUp(1, ConnectFilterTransform);

    [GlobalSetup(Target = nameof(SpawnsConnectAmplified))]
    public void SetUpConnectAmplified() => SetUp(Chains, ConnectOnly);

    [GlobalSetup(Target = nameof(SpawnsFilterAmplified))]
    public void SetUpFilterAmplified() => SetUp(Chains, ConnectFilter);

    [GlobalSetup(Target = nameof(SpawnsFilterTransformAmplified))]
    public void SetUpFilterTransformAmplified() => SetUp(Chains, ConnectFilterTransform);

    [GlobalSetup(Target = nameof(SpawnsConnectSmallStore))]
    public void SetUpConnectSmallStore() => SetUp(Chains, ConnectOnly, SmallStoreRetained);

    [GlobalSetup(Target = nameof(SpawnsFilterSmallStore))]
    public void SetUpFilterSmallStore() => SetUp(Chains, ConnectFilter, SmallStoreRetained);

    [GlobalSetup(Target = nameof(SpawnsFilterTransformSmallStore))]
    public void SetUpFilterTransformSmallStore() => SetUp(Chains, ConnectFilterTransform, SmallStoreRetained);

    [GlobalCleanup(Targets = [nameof(SpawnsConnect), nameof(SpawnsFilter), nameof(SpawnsFilterTransform),
        nameof(SpawnsConnectAmplified), nameof(SpawnsFilterAmplified), nameof(SpawnsFilterTransformAmplified),
        nameof(SpawnsConnectSmallStore), nameof(SpawnsFilterSmallStore), nameof(SpawnsFilterTransformSmallStore)])]
    public void CleanUp()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _manager?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _subscriptions = [];
        _manager = null;
    }

    [BenchmarkCategory(Spawns), Benchmark(Baseline = true, OperationsPerInvoke = SpawnCount, Description = "Connect()")]
    public Task SpawnsConnect() => Workload.SpawnAndAwaitAllAsync(_manager!, SpawnCount);

    [BenchmarkCategory(Spawns), Benchmark(OperationsPerInvoke = SpawnCount, Description = "Connect().Filter()")]
    public Task SpawnsFilter() => Workload.SpawnAndAwaitAllAsync(_manager!, SpawnCount);

    [BenchmarkCategory(Spawns), Benchmark(OperationsPerInvoke = SpawnCount, Description = "Connect().Filter().Transform()")]
    public Task SpawnsFilterTransform() => Workload.SpawnAndAwaitAllAsync(_manager!, SpawnCount);

    // The same with 8 chains on the store: the operators' cost is 8 times larger against the same spawn cost (and the
    // same noise), so it stands out of the noise; one operator's cost is the difference to the baseline divided by 8.
    [BenchmarkCategory(SpawnsAmplified), Benchmark(Baseline = true, OperationsPerInvoke = SpawnCount, Description = "8 x Connect()")]
    public Task SpawnsConnectAmplified() => Workload.SpawnAndAwaitAllAsync(_manager!, SpawnCount);

    [BenchmarkCategory(SpawnsAmplified), Benchmark(OperationsPerInvoke = SpawnCount, Description = "8 x Connect().Filter()")]
    public Task SpawnsFilterAmplified() => Workload.SpawnAndAwaitAllAsync(_manager!, SpawnCount);

    [BenchmarkCategory(SpawnsAmplified), Benchmark(OperationsPerInvoke = SpawnCount, Description = "8 x Connect().Filter().Transform()")]
    public Task SpawnsFilterTransformAmplified() => Workload.SpawnAndAwaitAllAsync(_manager!, SpawnCount);

    // The same 8 chains over a store that keeps 1k terminal records of the owner, spawning in windows.
    [BenchmarkCategory(SpawnsSmallStore), Benchmark(Baseline = true, OperationsPerInvoke = SpawnCount, Description = "8 x Connect()")]
    public Task SpawnsConnectSmallStore() => SpawnInWindowsAsync(_manager!);

    [BenchmarkCategory(SpawnsSmallStore), Benchmark(OperationsPerInvoke = SpawnCount, Description = "8 x Connect().Filter()")]
    public Task SpawnsFilterSmallStore() => SpawnInWindowsAsync(_manager!);

    [BenchmarkCategory(SpawnsSmallStore), Benchmark(OperationsPerInvoke = SpawnCount, Description = "8 x Connect().Filter().Transform()")]
    public Task SpawnsFilterTransformSmallStore() => SpawnInWindowsAsync(_manager!);

    private static async Task SpawnInWindowsAsync(BackgroundTaskManager manager)
    {
        for (var spawned = 0; spawned < SpawnCount; spawned += SmallStoreWindow)
        {
            await Workload.SpawnAndAwaitAllAsync(manager, SmallStoreWindow);
        }
    }

    private static IObservable<IChangeSet<TaskSummary, string>> ConnectOnly(BackgroundTaskManager manager) => manager.Connect();

    private static IObservable<IChangeSet<TaskSummary, string>> ConnectFilter(BackgroundTaskManager manager) =>
        manager.Connect().Filter(static summary => summary.Status != BackgroundTaskStatus.Cancelled);

    private static IObservable<IChangeSet<Projection, string>> ConnectFilterTransform(BackgroundTaskManager manager) =>
        manager.Connect()
            .Filter(static summary => summary.Status != BackgroundTaskStatus.Cancelled)
            .Transform(static summary => new Projection((int)summary.Status));

    private void SetUp<T>(int chains, Func<BackgroundTaskManager, IObservable<T>> chain, int retained = RetainedPerOwner)
    {
        _manager = new BackgroundTaskManager(new TaskStateStore(new TaskStateStoreOptions { MaxTerminalPerOwner = retained }));
        _subscriptions = [.. Enumerable.Range(0, chains).Select(_ => chain(_manager).Subscribe(new CountingObserver<T>()))];
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
