using System.Globalization;
using System.Runtime.CompilerServices;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "How much memory does a finished task keep?" Heap size (after full collections) before and after N tasks
/// have been spawned and ended, divided by N: what the store keeps per terminal record (record, id, result,
/// indexes) once the runtime handles are gone. The floor's records are measured the same way for scale.
/// </summary>
/// <remarks>
/// Synchronous on purpose: an async measurement keeps its locals in state-machine boxes whose lifetime the
/// collector cannot be told about, which made earlier runs count (or un-count) the previous contender.
/// </remarks>
internal static class RetainedMemory
{
    public static void Run(int count)
    {
        // Warm up at full size first, so JIT, thread-pool queues and pools have grown before anything is counted.
        Measure(count, BuildManager);
        Measure(count, BuildFloor);

        var floor = Measure(count, BuildFloor);
        var manager = Measure(count, BuildManager);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// Retained bytes per terminal record (N = {count:N0}, GC.GetTotalMemory(true) after - before)"));
        Console.WriteLine("| Contender | Bytes retained per record | Ratio |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Floor: ConcurrentDictionary record | {floor:N0} | 1.00 |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Manager: TaskStateStore record | {manager:N0} | {(double)manager / floor:N2} |"));
    }

    private static long Measure(int count, Func<int, object> build)
    {
        var before = SettledHeapSize();
        var kept = build(count);
        var after = SettledHeapSize();
        GC.KeepAlive(kept);
        return (after - before) / count;
    }

    // Not inlined, so nothing but the returned contender (manager and store, or floor) outlives the call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object BuildManager(int count)
    {
        var manager = Workload.NewManager();
        Workload.SpawnAndAwaitAllAsync(manager, count).GetAwaiter().GetResult();
        return manager;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object BuildFloor(int count)
    {
        var floor = new FloorRuntime();
        floor.SpawnAndAwaitAllAsync(count).GetAwaiter().GetResult();
        return floor;
    }

    /// <summary>The heap once the previous measurement's leftovers are really gone: full collections with finalizers between.</summary>
    private static long SettledHeapSize()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
