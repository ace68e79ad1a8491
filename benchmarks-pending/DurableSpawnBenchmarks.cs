using BackgroundTasks.Sqlite;
using BenchmarkDotNet.Attributes;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "How much does durability cost?" Spawn N tasks at once and wait for every one to end, on the in-memory store
/// (the baseline) and on a SQLite store in a temporary file. Target: the SQLite store at least 0.25x the
/// in-memory throughput (issue 4).
/// </summary>
/// <remarks>
/// Ready to drop into benchmarks/BackgroundTasks.Benchmarks (it needs a ProjectReference to
/// src/BackgroundTasks.Sqlite). Each invocation gets a fresh store and database, so the table and its index
/// start empty every time, as they do for the in-memory store.
/// </remarks>
[MemoryDiagnoser]
public class DurableSpawnBenchmarks
{
    private static readonly Func<TaskContext, Task<TaskResult>> s_body = static _ => Task.FromResult(TaskResult.Success(1));

    private string _folder = string.Empty;
    private TaskStateStore _store = null!;
    private BackgroundTaskManager _manager = null!;

    [Params(10_000)]
    public int N { get; set; }

    [IterationSetup(Target = nameof(InMemory))]
    public void SetUpInMemory()
    {
        _store = new TaskStateStore();
        _manager = new BackgroundTaskManager(_store);
    }

    [IterationSetup(Target = nameof(Sqlite))]
    public void SetUpSqlite()
    {
        _folder = Path.Combine(Path.GetTempPath(), "bgtasks-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _store = TaskStateStore.OpenAsync(new SqliteTaskStatePersistence(Path.Combine(_folder, "tasks.db"))).GetAwaiter().GetResult();
        _manager = new BackgroundTaskManager(_store);
    }

    [IterationCleanup]
    public void CleanUp()
    {
        _manager.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_folder.Length > 0)
        {
            Directory.Delete(_folder, recursive: true);
            _folder = string.Empty;
        }
    }

    [Benchmark(Baseline = true)]
    public Task InMemory() => SpawnAndWaitAllAsync();

    [Benchmark]
    public Task Sqlite() => SpawnAndWaitAllAsync();

    private async Task SpawnAndWaitAllAsync()
    {
        var spawns = new Task<string>[N];
        for (var i = 0; i < N; i++)
        {
            spawns[i] = _manager.SpawnAsync("t1", "bench", null, "spawn to end", TaskParentContext.None, s_body);
        }

        foreach (var taskId in await Task.WhenAll(spawns))
        {
            await _manager.WaitAsync(taskId);
        }
    }
}
