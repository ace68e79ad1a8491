using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Controls;

public sealed class ParentCloseTests
{
    [Fact]
    public async Task ParentEnds_CancelChildrenAreSignalled_AbandonChildrenRunOn_GrandchildrenFollowTheirOwnPolicy()
    {
        await using var time = new VirtualTime();
        var manager = time.Manager;
        var finishParent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseKept = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancel = new SpawnOptions { ParentClosePolicy = ParentClosePolicy.Cancel };
        var ids = new TaskCompletionSource<(string Cancelled, string Kept, string Grandchild, string CancelledGrandchild)>(
            TaskCreationOptions.RunContinuationsAsynchronously);

        var parent = await time.SpawnAsync(SpawnOptions.Default, async _ =>
        {
            var grandchildren = new TaskCompletionSource<(string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var cancelledChild = await time.SpawnAsync(cancel, async context =>
            {
                // Spawned inside this child's body: the child is their parent.
                var kept = await time.SpawnAsync(SpawnOptions.Default, async _ =>
                {
                    await releaseKept.Task;
                    return TaskResult.Success("grandchild ran on");
                });
                var cancelled = await time.SpawnAsync(cancel, WaitForCancellation);
                grandchildren.SetResult((kept, cancelled));
                return await WaitForCancellation(context);
            });
            var keptChild = await time.SpawnAsync(SpawnOptions.Default, async _ =>
            {
                await releaseKept.Task;
                return TaskResult.Success("child ran on");
            });
            var (grandchild, cancelledGrandchild) = await grandchildren.Task;
            ids.SetResult((cancelledChild, keptChild, grandchild, cancelledGrandchild));
            await finishParent.Task;
            return TaskResult.Success("parent done");
        });
        var (child, kept, grandchild, cancelledGrandchild) = await ids.Task.Guarded();

        Assert.Equal(BackgroundTaskStatus.Running, time.Record(child).Status);
        finishParent.SetResult();
        await time.WaitAsync(parent);

        Assert.Equal(BackgroundTaskStatus.Cancelled, (await time.WaitAsync(child)).Status);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await time.WaitAsync(cancelledGrandchild)).Status);
        Assert.Equal(BackgroundTaskStatus.Running, time.Record(kept).Status);
        Assert.Equal(BackgroundTaskStatus.Running, time.Record(grandchild).Status);
        releaseKept.SetResult();
        Assert.Equal("child ran on", (await time.WaitAsync(kept)).Result?.GetString());
        Assert.Equal("grandchild ran on", (await time.WaitAsync(grandchild)).Result?.GetString());
        Assert.Equal(parent, time.Record(child).ParentContext.TaskId);
        Assert.Equal(child, time.Record(cancelledGrandchild).ParentContext.TaskId);
    }

    [Fact]
    public async Task ParentFailsAfterRetries_CancelsItsChildrenOnlyAtItsEnd()
    {
        await using var time = new VirtualTime();
        var childId = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = 0;
        var parentOptions = new SpawnOptions { Retry = new RetryPolicy { MaxAttempts = 2, Delay = TimeSpan.FromSeconds(1) } };
        var parent = await time.SpawnAsync(parentOptions, async _ =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                childId.SetResult(await time.SpawnAsync(new SpawnOptions { ParentClosePolicy = ParentClosePolicy.Cancel }, WaitForCancellation));
            }

            return TaskResult.Failed("parent failed");
        });
        var child = await childId.Task.Guarded();
        await time.Events.NextCustomAsync("retrying");

        // Between the parent's attempts the child runs on; the parent's end cancels it.
        Assert.Equal(BackgroundTaskStatus.Running, time.Record(child).Status);
        time.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(BackgroundTaskStatus.Failed, (await time.WaitAsync(parent)).Status);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await time.WaitAsync(child)).Status);
    }

    [Fact]
    public async Task SpawnWithCancelPolicy_UnderAParentThatHasEnded_IsCancelledAtOnce()
    {
        await using var time = new VirtualTime();
        var parent = await time.SpawnAsync(SpawnOptions.Default, _ => Task.FromResult(TaskResult.Success(1)));
        await time.WaitAsync(parent);

        var orphan = await time.SpawnAsync(new SpawnOptions { ParentClosePolicy = ParentClosePolicy.Cancel }, WaitForCancellation,
            parent: new TaskParentContext { TaskId = parent });
        var survivor = await time.SpawnAsync(SpawnOptions.Default, _ => Task.FromResult(TaskResult.Success("ran")),
            parent: new TaskParentContext { TaskId = parent });

        Assert.Equal(BackgroundTaskStatus.Cancelled, (await time.WaitAsync(orphan)).Status);
        Assert.Equal(BackgroundTaskStatus.Completed, (await time.WaitAsync(survivor)).Status);
    }

    private static async Task<TaskResult> WaitForCancellation(TaskContext context)
    {
        await context.WhenCancelled();
        context.CancellationToken.ThrowIfCancellationRequested();
        return TaskResult.Success("not cancelled");
    }
}
