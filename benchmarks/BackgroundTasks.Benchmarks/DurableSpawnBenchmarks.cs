using System.Diagnostics.CodeAnalysis;
using BackgroundTasks.Sqlite;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "How much does durability cost?" Spawn → terminal of N trivial tasks on the in-memory store (the baseline of
/// each category) and on a SQLite store in a fresh temporary file. Two ways of spawning, each its own category
/// with its own baseline: one awaited spawn after another (as <see cref="SpawnThroughputBenchmarks"/> does), and
/// a burst (every spawn started, then all awaited together). Target of issue 4: SQLite at least 0.25x the
/// in-memory throughput.
/// </summary>
/// <remarks>
/// Every invocation gets a fresh store (and, for SQLite, a fresh database whose table starts empty), built in
/// <c>IterationSetup</c> and disposed in <c>IterationCleanup</c>, so opening, the final flush and deleting the
/// file are not timed, and no run inherits the rows of the previous one. That makes BenchmarkDotNet run one
/// invocation per iteration, which is why N is fixed at 10k: long enough to time, short enough for
/// <c>--quick</c>. Thirty warmup invocations and ten measured ones (in <c>--quick</c> too, whose job otherwise
/// warms up once and measures three): every store starts a new writer loop, and the JIT needs about a dozen
/// invocations to finish tiering up the writer's long-running loop (on-stack replacement, then dynamic PGO) and
/// the SQLite calls. With eight warmups the SQLite burst was still measured at 120-150 ms per invocation,
/// against 50-95 ms once warm: the JIT, not the store. Ten measured invocations, not three, because single
/// invocations on this shared 2-core machine range over 2x for either store, and BenchmarkDotNet's outlier
/// removal needs more than three to work with.
/// </remarks>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "IterationCleanup disposes the store and manager of every invocation.")]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[WarmupCount(30)]
[IterationCount(10)]
public class DurableSpawnBenchmarks
{
    private const string Sequential = "Sequential";
    private const string Burst = "Burst";

    private string? _folder;
    private TaskStateStore _store = null!;
    private BackgroundTaskManager _manager = null!;

    [Params(10_000)]
    public int N { get; set; }

    [IterationSetup(Targets = [nameof(InMemorySequential), nameof(InMemoryBurst)])]
    public void SetUpInMemory()
    {
        _store = new TaskStateStore();
        _manager = new BackgroundTaskManager(_store);
    }

    [IterationSetup(Targets = [nameof(SqliteSequential), nameof(SqliteBurst)])]
    public void SetUpSqlite()
    {
        _folder = Path.Combine(Path.GetTempPath(), "bgtasks-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _store = TaskStateStore.OpenAsync(new SqliteTaskStatePersistence(Path.Combine(_folder, "tasks.db")))
            .GetAwaiter().GetResult();
        _manager = new BackgroundTaskManager(_store);
    }

    [IterationCleanup]
    public void CleanUp()
    {
        // The manager first, so the store flushes after the last write; then the file and its -wal, -shm, .lock.
        _manager.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
            _folder = null;
        }
    }

    [BenchmarkCategory(Sequential), Benchmark(Baseline = true, Description = "In memory, sequential spawns")]
    public Task InMemorySequential() => Workload.SpawnAndAwaitAllAsync(_manager, N);

    [BenchmarkCategory(Sequential), Benchmark(Description = "SQLite, sequential spawns")]
    public Task SqliteSequential() => Workload.SpawnAndAwaitAllAsync(_manager, N);

    [BenchmarkCategory(Burst), Benchmark(Baseline = true, Description = "In memory, burst of spawns")]
    public Task InMemoryBurst() => Workload.SpawnBurstAndAwaitAllAsync(_manager, N);

    [BenchmarkCategory(Burst), Benchmark(Description = "SQLite, burst of spawns")]
    public Task SqliteBurst() => Workload.SpawnBurstAndAwaitAllAsync(_manager, N);
}
