using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// The quick mode: the whole suite with one short job (1 launch, 1 warmup, 3 iterations), so it fits in a few
/// minutes on a 2-core machine. Ratios stay meaningful; the error bars are wide.
/// </summary>
internal static class QuickConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithId("Quick")
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .AsDefault());
}
