using System.Threading.Tasks.Dataflow;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Dataflow;

public sealed class SpawnBlockCancellationTests
{
    [Fact]
    public async Task CancellingTheBlock_StillEmitsTheTerminalSummariesOfTasksAlreadySpawned_AndSpawnsNoMore()
    {
        await using var fixture = new ManagerFixture();
        using var cancellation = new CancellationTokenSource();
        var started = new CountdownEvent(2);
        var block = fixture.Manager.CreateSpawnBlock<int>("t1", "x", i => "item " + i, async (_, context) =>
        {
            started.Signal();
            await context.WhenCancelled();
            context.CancellationToken.ThrowIfCancellationRequested();
            return TaskResult.Success(0);
        }, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellation.Token });
        block.Post(1);
        block.Post(2);
        block.Post(3);
        await Task.Run(() => started.Wait(Hang.Guard)).Guarded();

        await cancellation.CancelAsync();

        var summaries = new List<TaskSummary>();
        while (await block.OutputAvailableAsync().Guarded())
        {
            summaries.Add(await block.ReceiveAsync().Guarded());
        }

        Assert.Equal(["item 1", "item 2"], summaries.Select(s => s.Description).Order());
        Assert.All(summaries, s => Assert.Equal(BackgroundTaskStatus.Cancelled, s.Status));
        Assert.Equal(2, fixture.Store.Tasks.Count);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => block.Completion).Guarded();
        Assert.False(block.Post(4));
    }

    [Fact]
    public async Task CancellingTheBlock_ALinkedTargetGetsTheSummaries_ThenCompletes()
    {
        await using var fixture = new ManagerFixture();
        using var cancellation = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var block = fixture.Manager.CreateSpawnBlock<int>("t1", "x", _ => "d", async (_, context) =>
        {
            started.TrySetResult();
            await context.WhenCancelled();
            return TaskResult.Cancelled;
        }, new ExecutionDataflowBlockOptions { CancellationToken = cancellation.Token });
        var summaries = new List<TaskSummary>();
        var sink = new ActionBlock<TaskSummary>(summaries.Add);
        block.LinkTo(sink, new DataflowLinkOptions { PropagateCompletion = true });
        block.Post(1);
        await started.Task.Guarded();

        await cancellation.CancelAsync();
        await sink.Completion.Guarded();

        Assert.Equal(BackgroundTaskStatus.Cancelled, Assert.Single(summaries).Status);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => block.Completion).Guarded();
    }
}
