using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

/// <summary>CancelTreeAsync across the live tree and the store index: ended middles, late children, deep chains.</summary>
public sealed class CancelTreeTests
{
    [Fact]
    public async Task CancelTreeAsync_EndedChild_StillReachesLiveGrandchildren()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.SpawnWaitingAsync();
        var release = new TaskCompletionSource();
        var grandchild = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = await fixture.Manager.SpawnAsync("t1", "x", null, "spawns, then ends", new TaskParentContext { TaskId = root }, async _ =>
        {
            // Spawned from the body, so the child is its parent through the ambient lineage.
            grandchild.SetResult(await fixture.SpawnWaitingAsync());
            await release.Task;
            return TaskResult.Success(0);
        });
        var grandchildId = await grandchild.Task.Guarded();
        release.SetResult();
        await fixture.Manager.WaitAsync(child).Guarded();

        Assert.Equal(child, fixture.Store.Lookup(grandchildId)!.ParentContext.TaskId);
        Assert.Equal(2, await fixture.Manager.CancelTreeAsync(root));
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(grandchildId).Guarded()).Status);
    }

    [Fact]
    public async Task CancelTreeAsync_ChildSpawnedUnderEndedParent_IsReachedFromLiveGrandparent()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.SpawnWaitingAsync();
        var ended = await fixture.Manager.SpawnAsync("t1", "x", null, "ends at once", new TaskParentContext { TaskId = root },
            _ => Task.FromResult(TaskResult.Success(0)));
        await fixture.Manager.WaitAsync(ended).Guarded();
        var late = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = ended });
        var lateChild = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = late });

        Assert.Equal(3, await fixture.Manager.CancelTreeAsync(root));
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(lateChild).Guarded()).Status);
    }

    [Fact]
    public async Task CancelTreeAsync_Subtree_LeavesParentAndSiblingsRunning()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.SpawnWaitingAsync();
        var child = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root });
        var sibling = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root });
        var grandchild = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = child });

        Assert.Equal(2, await fixture.Manager.CancelTreeAsync(child));

        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(grandchild).Guarded()).Status);
        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(root)!.Status);
        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(sibling)!.Status);
    }

    [Fact]
    public async Task CancelTreeAsync_DeepChainWithEndedMiddle_SignalsEveryLiveTask()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.SpawnWaitingAsync();
        var middle = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root });
        var parent = middle;
        for (var depth = 0; depth < 3_000; depth++)
        {
            parent = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = parent });
        }

        Assert.True(await fixture.Manager.CancelAsync(middle));
        await fixture.Manager.WaitAsync(middle).Guarded();

        Assert.Equal(3_001, await fixture.Manager.CancelTreeAsync(root));
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(parent).Guarded()).Status);
    }

    [Fact]
    public async Task CancelTreeAsync_RestoredRoot_SignalsLiveChildrenSpawnedBelowIt()
    {
        await using var fixture = new ManagerFixture();
        var restored = new TaskSummary
        {
            TaskId = "bg_7", OwnerThreadId = "t1", TaskType = "x", Description = "from a snapshot", Status = BackgroundTaskStatus.Completed,
        };
        await fixture.Manager.RestoreForThreadAsync("t1", new BackgroundTaskStateSnapshot(new Dictionary<string, TaskSummary> { ["bg_7"] = restored }));
        var child = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = "bg_7" });
        var grandchild = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = child });

        Assert.Equal(2, await fixture.Manager.CancelTreeAsync("bg_7"));
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(grandchild).Guarded()).Status);
    }

    [Fact]
    public async Task CancelTreeAsync_ManyChildrenEndingWhileCancelling_CountsEachLiveTaskAtMostOnce()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.SpawnWaitingAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < 500; i++)
        {
            await fixture.Manager.SpawnAsync("t1", "x", null, "ends on release", new TaskParentContext { TaskId = root }, async _ =>
            {
                await release.Task;
                return TaskResult.Success(0);
            });
        }

        release.SetResult();
        var count = await fixture.Manager.CancelTreeAsync(root);

        Assert.InRange(count, 1, 501);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(root).Guarded()).Status);
    }
}
