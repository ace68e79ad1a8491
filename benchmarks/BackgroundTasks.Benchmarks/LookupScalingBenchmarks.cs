using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "Do queries slow down as the store grows?" Each operation on a store of 1k records (the baseline of its
/// category) and on one of 1M records over 10k owners, always about the same probe owner and tasks, so the
/// ratio shows what the total alone costs.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LookupScalingBenchmarks
{
    private LookupFixture _small = null!;
    private LookupFixture _big = null!;

    // Each benchmark runs in its own process: build only the store it asks about.
    [GlobalSetup(Targets = [nameof(Get_1k), nameof(List_1k), nameof(HasRunning_1k), nameof(Send_1k), nameof(Cancel_1k)])]
    public async Task SetupSmall() => _small = await LookupFixture.CreateAsync(1_000);

    [GlobalSetup(Targets = [nameof(Get_1M), nameof(List_1M), nameof(HasRunning_1M), nameof(Send_1M), nameof(Cancel_1M)])]
    public async Task SetupBig() => _big = await LookupFixture.CreateAsync(1_000_000);

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_small is not null)
        {
            await _small.DisposeAsync();
        }

        if (_big is not null)
        {
            await _big.DisposeAsync();
        }
    }

    [BenchmarkCategory("GetAsync"), Benchmark(Baseline = true)]
    public Task<TaskSummary?> Get_1k() => _small.Manager.GetAsync(_small.StubbornId);

    [BenchmarkCategory("GetAsync"), Benchmark]
    public Task<TaskSummary?> Get_1M() => _big.Manager.GetAsync(_big.StubbornId);

    [BenchmarkCategory("ListAsync"), Benchmark(Baseline = true)]
    public Task<IReadOnlyList<TaskSummary>> List_1k() => _small.Manager.ListAsync(LookupFixture.ProbeOwner);

    [BenchmarkCategory("ListAsync"), Benchmark]
    public Task<IReadOnlyList<TaskSummary>> List_1M() => _big.Manager.ListAsync(LookupFixture.ProbeOwner);

    [BenchmarkCategory("HasRunningAsync"), Benchmark(Baseline = true)]
    public Task<bool> HasRunning_1k() => _small.Manager.HasRunningAsync(LookupFixture.ProbeOwner);

    [BenchmarkCategory("HasRunningAsync"), Benchmark]
    public Task<bool> HasRunning_1M() => _big.Manager.HasRunningAsync(LookupFixture.ProbeOwner);

    [BenchmarkCategory("SendTaskInboxMessageAsync"), Benchmark(Baseline = true)]
    public Task Send_1k() => _small.Manager.SendTaskInboxMessageAsync(_small.AgentId, LookupFixture.ProbeOwner, "parent", "hello");

    [BenchmarkCategory("SendTaskInboxMessageAsync"), Benchmark]
    public Task Send_1M() => _big.Manager.SendTaskInboxMessageAsync(_big.AgentId, LookupFixture.ProbeOwner, "parent", "hello");

    [BenchmarkCategory("CancelAsync"), Benchmark(Baseline = true)]
    public Task<bool> Cancel_1k() => _small.Manager.CancelAsync(_small.StubbornId);

    [BenchmarkCategory("CancelAsync"), Benchmark]
    public Task<bool> Cancel_1M() => _big.Manager.CancelAsync(_big.StubbornId);
}
