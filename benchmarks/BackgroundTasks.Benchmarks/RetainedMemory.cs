using System.Globalization;
using System.Runtime.CompilerServices;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "How much memory does a finished task keep?" Heap size (after a full collection) before and after N tasks
/// have been spawned and ended, divided by N: what the store keeps per terminal record (record, id, result,
/// indexes) once the runtime handles are gone. The floor's records are measured the same way for scale.
/// </summary>
internal static class RetainedMemory
{
    public static async Task RunAsync(int count)
    {
        // Warm up first so JIT and static caches are not counted.
        await MeasureManagerAsync(1_000);
        await MeasureFloorAsync(1_000);

        var floor = await MeasureFloorAsync(count);
        var manager = await MeasureManagerAsync(count);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// Retained bytes per terminal record (N = {count:N0}, GC.GetTotalMemory(true) after - before)"));
        Console.WriteLine("| Contender | Bytes retained per record | Ratio |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Floor: ConcurrentDictionary record | {floor:N0} | 1.00 |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Manager: TaskStateStore record | {manager:N0} | {(double)manager / floor:N2} |"));
    }

    private static async Task<long> MeasureManagerAsync(int count)
    {
        var manager = Workload.NewManager();
        var before = SettledHeapSize();
        await SpawnAllAsync(manager, count);
        var after = SettledHeapSize();
        GC.KeepAlive(manager);
        await manager.DisposeAsync();
        return (after - before) / count;
    }

    private static async Task<long> MeasureFloorAsync(int count)
    {
        var floor = new FloorRuntime();
        var before = SettledHeapSize();
        await floor.SpawnAndAwaitAllAsync(count);
        var after = SettledHeapSize();
        GC.KeepAlive(floor);
        return (after - before) / count;
    }

    /// <summary>
    /// The heap after the previous measurement's leftovers (finished thread-pool items, a disposed manager)
    /// are really gone: a few full collections with the finalizers run between them.
    /// </summary>
    private static long SettledHeapSize()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    // Not inlined, so the id array it uses is garbage by the time the caller measures.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task SpawnAllAsync(BackgroundTaskManager manager, int count) => Workload.SpawnAndAwaitAllAsync(manager, count);
}
