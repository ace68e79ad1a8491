using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// The quick mode: the whole suite with one short job (1 launch, 1 warmup, 3 iterations), so it fits in a few
/// minutes on a 2-core machine. Ratios stay meaningful; the error bars are wide.
/// </summary>
internal static class QuickConfig
{
    /// <summary>The quick job; <paramref name="withOrleans"/> false leaves out the Orleans classes (a named filter brings them in).</summary>
    /// <remarks>
    /// The Orleans classes start in-process clusters and time seconds per invocation; in the whole suite they would
    /// add several minutes to <c>--quick</c>, so it runs them only when a <c>--filter</c> asks for them.
    /// </remarks>
    public static IConfig Create(bool withOrleans)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.Default
                .WithId("Quick")
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .AsDefault());
        return withOrleans
            ? config
            : config.AddFilter(new SimpleFilter(benchmark => benchmark.Descriptor.Type.Namespace != typeof(Orleans.BenchCluster).Namespace));
    }
}
