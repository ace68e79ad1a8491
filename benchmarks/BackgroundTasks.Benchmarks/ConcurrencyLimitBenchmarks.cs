using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "What does a per-owner concurrency limit cost?" 1,000 owner threads × 100 trivial tasks each (100k tasks), spawned
/// round-robin over the owners and all awaited to their terminal record, with no limit (every task runs at once) and
/// with <see cref="BackgroundTaskManagerOptions.MaxRunningPerOwner"/> = 8 (92 of each owner's 100 tasks are written
/// Queued, then started, each an extra store update, as running ones end).
/// </summary>
[MemoryDiagnoser]
public class ConcurrencyLimitBenchmarks
{
    private const int Owners = 1_000;
    private const int TasksPerOwner = 100;

    private readonly string[] _owners = Enumerable.Range(0, Owners)
        .Select(i => "owner-" + i.ToString(CultureInfo.InvariantCulture))
        .ToArray();

    [Benchmark(Baseline = true, Description = "No limit")]
    public Task NoLimit() => RunAsync(new BackgroundTaskManagerOptions());

    [Benchmark(Description = "MaxRunningPerOwner = 8")]
    public Task Limited() => RunAsync(new BackgroundTaskManagerOptions { MaxRunningPerOwner = 8 });

    private async Task RunAsync(BackgroundTaskManagerOptions options)
    {
        await using var manager = new BackgroundTaskManager(new TaskStateStore(), options);
        var ids = new string[Owners * TasksPerOwner];
        for (var round = 0; round < TasksPerOwner; round++)
        {
            for (var owner = 0; owner < Owners; owner++)
            {
                ids[(round * Owners) + owner] = await manager.SpawnAsync(
                    _owners[owner], Workload.TaskType, null, Workload.Description, TaskParentContext.None, Workload.Body);
            }
        }

        foreach (var id in ids)
        {
            await manager.WaitAsync(id);
        }
    }
}
