using BenchmarkDotNet.Attributes;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "What do runtime controls cost?" Spawn → terminal of N trivial tasks (the <see cref="Workload.Body"/> of
/// <see cref="SpawnThroughputBenchmarks"/>) through the plain overload, through the <see cref="SpawnOptions"/> overload
/// with <see cref="SpawnOptions.Default"/> (must cost nothing), with a one-minute <see cref="SpawnOptions.Timeout"/> on
/// every task (one deadline queue per manager, not a timer per task), and with a retry policy that never has to retry.
/// </summary>
[MemoryDiagnoser]
public class RuntimeControlsBenchmarks
{
    private static readonly SpawnOptions s_timeout = new() { Timeout = TimeSpan.FromMinutes(1) };
    private static readonly SpawnOptions s_retry = new() { Retry = new RetryPolicy() };

    [Params(10_000)]
    public int N { get; set; }

    [Benchmark(Baseline = true, Description = "Plain overload")]
    public Task Plain() => RunAsync(options: null);

    [Benchmark(Description = "SpawnOptions.Default")]
    public Task DefaultOptions() => RunAsync(SpawnOptions.Default);

    [Benchmark(Description = "Timeout = 1 min")]
    public Task WithTimeout() => RunAsync(s_timeout);

    [Benchmark(Description = "Retry policy, no failures")]
    public Task WithRetry() => RunAsync(s_retry);

    private async Task RunAsync(SpawnOptions? options)
    {
        await using var manager = Workload.NewManager();
        var ids = new string[N];
        for (var i = 0; i < N; i++)
        {
            ids[i] = options is null
                ? await manager.SpawnAsync(Workload.Owner, Workload.TaskType, null, Workload.Description, TaskParentContext.None, Workload.Body)
                : await manager.SpawnAsync(Workload.Owner, Workload.TaskType, null, Workload.Description, TaskParentContext.None, options, Workload.Body);
        }

        foreach (var id in ids)
        {
            await manager.WaitAsync(id);
        }
    }
}
