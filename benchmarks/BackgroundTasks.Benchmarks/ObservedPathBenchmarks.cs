using BenchmarkDotNet.Attributes;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "How fast is the path users take?" N trivial tasks spawned on one owner thread and awaited to their terminal record
/// while being observed as an agent runtime does: an <see cref="BackgroundTaskManager.Events"/> subscriber, one
/// <see cref="BackgroundTaskManager.Connect"/> subscriber and the thread's own owner inbox; per-thread sequencing is
/// always on. Against the floor, with replay on (the default, 1024 events per thread) and off (capacity 0).
/// </summary>
[MemoryDiagnoser]
public class ObservedPathBenchmarks
{
    [Params(10_000)]
    public int N { get; set; }

    [Benchmark(Baseline = true, Description = "Floor: Task.Run + record + CTS")]
    public Task Floor() => new FloorRuntime().SpawnAndAwaitAllAsync(N);

    [Benchmark(Description = "Manager + Events")]
    public async Task EventsOnly()
    {
        await using var manager = Workload.NewManager();
        var events = new CountingObserver<TaskEvent>();
        using (manager.Events.Subscribe(events))
        {
            await Workload.SpawnAndAwaitAllAsync(manager, N);
        }
    }

    [Benchmark(Description = "Observed: Events + Connect + thread inbox, replay on")]
    public Task ObservedReplayOn() => RunObservedAsync(new BackgroundTaskManagerOptions());

    [Benchmark(Description = "Observed: Events + Connect + thread inbox, replay off")]
    public Task ObservedReplayOff() => RunObservedAsync(new BackgroundTaskManagerOptions { EventReplayCapacityPerOwner = 0 });

    private async Task RunObservedAsync(BackgroundTaskManagerOptions options)
    {
        await using var manager = new BackgroundTaskManager(new TaskStateStore(), options);
        var (sender, receiver) = Inbox.Create();
        manager.SetOwnerInbox(Workload.Owner, sender);
        var events = new CountingObserver<TaskEvent>();
        var changes = new CountingObserver<object>();
        using (manager.Events.Subscribe(events))
        using (manager.Connect().Subscribe(changes))
        {
            await Workload.SpawnAndAwaitAllAsync(manager, N);
        }

        receiver.Drain();
    }
}
