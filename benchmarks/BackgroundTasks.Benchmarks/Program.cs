using BenchmarkDotNet.Running;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// Entry point. Plain arguments go to BenchmarkDotNet's switcher (<c>--filter '*'</c>, <c>--list flat</c>, ...).
/// <c>--quick</c> runs every benchmark but the Orleans ones (or the filtered ones, Orleans included) with a short
/// job and then the retained-memory measurement; <c>--retained</c> runs only that measurement.
/// </summary>
internal static class Program
{
    private const int RetainedCount = 100_000;

    public static int Main(string[] args)
    {
        if (args.Contains("--retained"))
        {
            RetainedMemory.Run(RetainedCount);
            return 0;
        }

        var quick = args.Contains("--quick");
        var rest = args.Where(arg => arg != "--quick").ToList();
        var wholeSuite = quick && !rest.Contains("--filter") && !rest.Contains("-f");
        if (wholeSuite)
        {
            rest.AddRange(["--filter", "*"]);
        }

        var switcher = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly);
        _ = quick ? switcher.Run([.. rest], QuickConfig.Create(withOrleans: !wholeSuite)) : switcher.Run([.. rest]);

        if (quick)
        {
            RetainedMemory.Run(RetainedCount);
        }

        return 0;
    }
}
