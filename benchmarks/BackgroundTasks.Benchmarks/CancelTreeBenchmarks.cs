using BenchmarkDotNet.Attributes;

namespace BackgroundTasks.Benchmarks;

/// <summary>
/// "How long does stopping a whole agent tree take?" <see cref="BackgroundTaskManager.CancelTreeAsync"/> on a
/// root with 10k chains of depth 10 below it (100,001 live tasks whose bodies wait for cancellation), against
/// the floor: as many raw <c>Task.Run</c> bodies, each waiting on its own token source, cancelled in a loop.
/// Only the cancelling call is timed: each iteration builds a fresh tree first and waits for every body to end after.
/// </summary>
[MemoryDiagnoser]
public class CancelTreeBenchmarks
{
    private const int Chains = 10_000;
    private const int Depth = 10;

    private BackgroundTaskManager? _manager;
    private string _rootId = null!;
    private CancellationTokenSource[] _sources = [];
    private Task[] _rawBodies = [];

    [IterationSetup(Target = nameof(CancelTree))]
    public void BuildTree() => BuildTreeAsync().GetAwaiter().GetResult();

    [IterationCleanup(Target = nameof(CancelTree))]
    public void AwaitTree()
    {
        // Disposal waits until every task's terminal record is in the store.
        _manager!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _manager = null;
    }

    [IterationSetup(Target = nameof(RawTokenLoop))]
    public void StartRawBodies()
    {
        var count = 1 + (Chains * Depth);
        _sources = new CancellationTokenSource[count];
        _rawBodies = new Task[count];
        for (var i = 0; i < count; i++)
        {
            var source = _sources[i] = new CancellationTokenSource();
            _rawBodies[i] = Task.Run(() => WaitForCancellationAsync(source.Token));
        }
    }

    [IterationCleanup(Target = nameof(RawTokenLoop))]
    public void AwaitRawBodies()
    {
        Task.WhenAll(_rawBodies).GetAwaiter().GetResult();
        foreach (var source in _sources)
        {
            source.Dispose();
        }
    }

    [Benchmark(Baseline = true, Description = "Raw: cancel 100,001 CTS in a loop")]
    public int RawTokenLoop()
    {
        foreach (var source in _sources)
        {
            source.Cancel();
        }

        return _sources.Length;
    }

    [Benchmark(Description = "CancelTreeAsync(root of 100,001)")]
    public Task<int> CancelTree() => _manager!.CancelTreeAsync(_rootId);

    /// <summary>What the manager's bodies do too (<see cref="TaskContext.WhenCancelled"/>): wait without throwing.</summary>
    private static Task WaitForCancellationAsync(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetResult(), cancelled);
        return cancelled.Task;
    }

    private async Task BuildTreeAsync()
    {
        var manager = _manager = Workload.NewManager();
        _rootId = await manager.SpawnAsync(Workload.Owner, Workload.TaskType, null, Workload.Description, TaskParentContext.None,
            Workload.WaitForCancellation);
        for (var chain = 0; chain < Chains; chain++)
        {
            var parentId = _rootId;
            for (var depth = 0; depth < Depth; depth++)
            {
                parentId = await manager.SpawnAsync(Workload.Owner, Workload.TaskType, null, Workload.Description,
                    new TaskParentContext { TaskId = parentId }, Workload.WaitForCancellation);
            }
        }
    }
}
