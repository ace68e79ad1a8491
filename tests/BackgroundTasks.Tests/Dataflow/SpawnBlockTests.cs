using System.Threading.Tasks.Dataflow;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Dataflow;

public sealed class SpawnBlockTests
{
    [Fact]
    public async Task CreateSpawnBlock_EachInputBecomesATrackedTask_EmittingItsTerminalSummary()
    {
        await using var fixture = new ManagerFixture();
        var block = fixture.Manager.CreateSpawnBlock<int>("t1", "square", i => "square " + i,
            (i, _) => Task.FromResult(TaskResult.Success(i * i)));

        for (var i = 1; i <= 5; i++)
        {
            await block.SendAsync(i);
        }

        block.Complete();
        var summaries = new List<TaskSummary>();
        while (await block.OutputAvailableAsync().Guarded())
        {
            summaries.Add(await block.ReceiveAsync());
        }

        await block.Completion.Guarded();
        Assert.Equal([1, 4, 9, 16, 25], summaries.Select(s => s.Result!.Value.GetInt32()));
        Assert.Equal(["square 1", "square 2", "square 3", "square 4", "square 5"], summaries.Select(s => s.Description));
        Assert.All(summaries, s => Assert.Equal("t1", s.OwnerThreadId));
        Assert.Equal(5, (await fixture.Manager.ListAsync("t1")).Count);
    }

    [Fact]
    public async Task CreateSpawnBlock_KeepsInputOrder_EvenWhenLaterTasksFinishFirst()
    {
        await using var fixture = new ManagerFixture();
        var gates = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource()).ToArray();
        var block = fixture.Manager.CreateSpawnBlock<int>("t1", "gated", i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            async (i, _) =>
            {
                await gates[i].Task;
                return TaskResult.Success(i);
            },
            new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 4, EnsureOrdered = true });

        for (var i = 0; i < 4; i++)
        {
            block.Post(i);
        }

        for (var i = 3; i >= 0; i--)
        {
            gates[i].SetResult();
        }

        var order = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            order.Add((await block.ReceiveAsync().Guarded()).Result!.Value.GetInt32());
        }

        Assert.Equal([0, 1, 2, 3], order);
    }

    [Fact]
    public async Task CreateSpawnBlock_BoundsParallelism()
    {
        await using var fixture = new ManagerFixture();
        var running = 0;
        var peak = 0;
        var block = fixture.Manager.CreateSpawnBlock<int>("t1", "x", _ => "d", async (_, _) =>
        {
            var now = Interlocked.Increment(ref running);
            Peak.Raise(ref peak, now);
            await Task.Yield();
            Interlocked.Decrement(ref running);
            return TaskResult.Success(0);
        }, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 3 });
        var sink = new ActionBlock<TaskSummary>(_ => { });
        block.LinkTo(sink, new DataflowLinkOptions { PropagateCompletion = true });

        for (var i = 0; i < 200; i++)
        {
            block.Post(i);
        }

        block.Complete();
        await sink.Completion.Guarded();
        Assert.InRange(Volatile.Read(ref peak), 1, 3);
    }

    [Fact]
    public async Task CreateSpawnBlock_BoundedCapacity_GivesBackPressure()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        var block = fixture.Manager.CreateSpawnBlock<int>("t1", "x", _ => "d", async (_, _) =>
        {
            await gate.Task;
            return TaskResult.Success(0);
        }, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 1, BoundedCapacity = 1 });

        Assert.True(await block.SendAsync(1).Guarded());
        var second = block.SendAsync(2);

        Assert.False(second.IsCompleted);
        Assert.False(block.Post(3));
        gate.SetResult();

        // The first summary occupies the block until someone takes it; then the second input gets in.
        await block.ReceiveAsync().Guarded();
        Assert.True(await second.Guarded());
    }

    [Fact]
    public async Task CreateSpawnBlock_CancellationToken_CancelsRunningTasks()
    {
        await using var fixture = new ManagerFixture();
        using var cancellation = new CancellationTokenSource();
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var block = fixture.Manager.CreateSpawnBlock<int>("t1", "x", _ => "d", async (_, context) =>
        {
            started.TrySetResult(context.TaskId);
            await context.WhenCancelled();
            context.CancellationToken.ThrowIfCancellationRequested();
            return TaskResult.Success(0);
        }, new ExecutionDataflowBlockOptions { CancellationToken = cancellation.Token });
        block.Post(1);
        var id = await started.Task.Guarded();

        await cancellation.CancelAsync();

        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(id).Guarded()).Status);

        // The cancelled task's summary is still emitted; the block ends cancelled once it has been taken.
        Assert.Equal(id, (await block.ReceiveAsync().Guarded()).TaskId);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => block.Completion).Guarded();
    }

    [Fact]
    public async Task CreateSpawnBlock_FailingTask_EmitsFailedSummary()
    {
        await using var fixture = new ManagerFixture();
        var block = fixture.Manager.CreateSpawnBlock<int>("t1", "x", _ => "d", (_, _) => throw new InvalidOperationException("nope"));

        block.Post(1);

        var summary = await block.ReceiveAsync().Guarded();
        Assert.Equal(BackgroundTaskStatus.Failed, summary.Status);
        Assert.Equal("nope", summary.Error);
    }

    [Fact]
    public async Task CreateSpawnBlock_ValidatesArguments()
    {
        await using var fixture = new ManagerFixture();
        Func<int, TaskContext, Task<TaskResult>> body = (_, _) => Task.FromResult(TaskResult.Success(0));
        Assert.Throws<ArgumentNullException>(() => BackgroundTaskDataflow.CreateSpawnBlock(null!, "t1", "x", (int _) => "d", body));
        Assert.Throws<ArgumentException>(() => fixture.Manager.CreateSpawnBlock("", "x", (int _) => "d", body));
        Assert.Throws<ArgumentException>(() => fixture.Manager.CreateSpawnBlock("t1", "", (int _) => "d", body));
        Assert.Throws<ArgumentNullException>(() => fixture.Manager.CreateSpawnBlock("t1", "x", (Func<int, string>)null!, body));
        Assert.Throws<ArgumentNullException>(() => fixture.Manager.CreateSpawnBlock<int>("t1", "x", _ => "d", null!));
    }
}
