using System.Collections.Concurrent;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

/// <summary>
/// Issue 9, defect 4: a child spawned below a task whose tree cancellation was requested stayed Running for
/// ever. Such a child is cancelled as soon as it is registered, so no descendant of a cancelled tree is left running.
/// </summary>
public sealed class LateSpawnCancellationTests
{
    [Fact]
    public async Task CancelTreeAsync_ChildSpawnedAfterwardsByTheCancelledBody_IsCancelled()
    {
        await using var fixture = new ManagerFixture();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var late = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var root = await fixture.Manager.SpawnAsync("t1", "x", null, "spawns after its cancellation", TaskParentContext.None, async context =>
        {
            await cancelled.Task;
            late.SetResult(await fixture.SpawnWaitingAsync());
            return TaskResult.Cancelled;
        });

        Assert.Equal(1, await fixture.Manager.CancelTreeAsync(root));
        cancelled.SetResult();

        var child = await late.Task.Guarded();
        Assert.Equal(root, fixture.Store.Lookup(child)!.ParentContext.TaskId);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(child).Guarded()).Status);
    }

    [Fact]
    public async Task CancelTreeAsync_ChildAndGrandchildSpawnedAfterwardsWithExplicitParents_AreCancelled()
    {
        await using var fixture = new ManagerFixture();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var root = await fixture.Manager.SpawnAsync("t1", "x", null, "ignores its token until released", TaskParentContext.None, async _ =>
        {
            await release.Task;
            return TaskResult.Cancelled;
        });
        var child = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root });

        Assert.Equal(2, await fixture.Manager.CancelTreeAsync(root));
        await fixture.Manager.WaitAsync(child).Guarded();
        var lateChild = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root });
        var lateGrandchild = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = lateChild });
        release.SetResult();

        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(lateChild).Guarded()).Status);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(lateGrandchild).Guarded()).Status);
    }

    [Fact]
    public async Task CancelTreeAsync_ChildSpawnedAfterTheCancelledParentEnded_IsCancelled()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.SpawnWaitingAsync();
        await fixture.Manager.CancelTreeAsync(root);
        await fixture.Manager.WaitAsync(root).Guarded();

        var late = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root });

        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(late).Guarded()).Status);
    }

    [Fact]
    public async Task CancelTreeAsync_SiblingTreeOfTheCancelledOne_KeepsSpawningLiveChildren()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.SpawnWaitingAsync();
        var cancelledChild = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root });
        await fixture.Manager.CancelTreeAsync(cancelledChild);

        var sibling = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root });

        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(cancelledChild).Guarded()).Status);
        Assert.False((await fixture.Manager.GetAsync(sibling))!.Status.IsTerminal());
        Assert.True(await fixture.Manager.CancelAsync(sibling));
    }

    [Fact]
    public async Task CancelTreeAsync_WhileBodiesAndCallersKeepSpawningChildrenAndGrandchildren_LeavesNoTaskRunning()
    {
        for (var round = 0; round < 3; round++)
        {
            await RaceOneTreeAsync(unlinkedTaskLive: round == 2);
        }
    }

    private static async Task RaceOneTreeAsync(bool unlinkedTaskLive)
    {
        const int Spawners = 4;
        const int ChildrenBeforeReady = 5;
        const int ChildrenRacing = 30;
        const int ChildrenAfterCancel = 3;
        await using var fixture = new ManagerFixture();
        if (unlinkedTaskLive)
        {
            // A live task below an unknown parent sends every tree walk through the store index instead of the live tree.
            await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = "bg_unknown" });
        }

        var spawned = new ConcurrentBag<string>();
        using var ready = new CountdownEvent(Spawners);
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelReturned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Ready()
        {
            if (ready.Signal())
            {
                allReady.SetResult();
            }
        }

        // Each child spawns two grandchildren from its body, whether or not it has been cancelled by then.
        async Task<string> SpawnChildAsync(TaskParentContext parent)
        {
            var id = await fixture.Manager.SpawnAsync("t1", "child", null, "spawns grandchildren", parent, async context =>
            {
                for (var i = 0; i < 2; i++)
                {
                    spawned.Add(await fixture.SpawnWaitingAsync());
                }

                await context.WhenCancelled();
                return TaskResult.Cancelled;
            });
            spawned.Add(id);
            return id;
        }

        // Spawners ignore their token while spawning: some children come before the cancel, some race with it,
        // and some come after it has returned.
        async Task SpawnManyAsync(TaskParentContext parent)
        {
            for (var i = 0; i < ChildrenBeforeReady; i++)
            {
                await SpawnChildAsync(parent);
            }

            Ready();
            for (var i = 0; i < ChildrenRacing; i++)
            {
                await SpawnChildAsync(parent);
            }

            await cancelReturned.Task;
            for (var i = 0; i < ChildrenAfterCancel; i++)
            {
                await SpawnChildAsync(parent);
            }
        }

        var outsideDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var root = await fixture.Manager.SpawnAsync("t1", "root", null, "spawns spawners", TaskParentContext.None, async context =>
        {
            var spawners = new List<Task>();
            for (var s = 0; s < Spawners - 1; s++)
            {
                spawned.Add(await fixture.Manager.SpawnAsync("t1", "spawner", null, "spawns children", TaskParentContext.None, async inner =>
                {
                    await SpawnManyAsync(TaskParentContext.None);
                    return TaskResult.Cancelled;
                }));
            }

            // Live until the caller outside is done spawning below it (a task that has ended is out of reach).
            await outsideDone.Task;
            return TaskResult.Cancelled;
        });
        spawned.Add(root);

        // A caller outside every body spawns below the root with an explicit parent, racing too.
        var outside = Task.Run(() => SpawnManyAsync(new TaskParentContext { TaskId = root }));
        try
        {
            await allReady.Task.Guarded();
            await fixture.Manager.CancelTreeAsync(root);
        }
        finally
        {
            // Also on failure: the spawners wait for it, and disposing the manager waits for them.
            cancelReturned.TrySetResult();
        }

        try
        {
            await outside.Guarded();
        }
        finally
        {
            outsideDone.SetResult();
        }

        // Every body adds the ids it spawns before it ends, so once every known task has ended, no more appear.
        var waited = 0;
        while (waited < spawned.Count)
        {
            var ids = spawned.ToArray();
            waited = ids.Length;
            var ends = await Task.WhenAll(ids.Select(id => fixture.Manager.WaitAsync(id))).WaitAsync(Hang.Guard)
                .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default);
            var stillRunning = ids.Count(id => fixture.Store.Lookup(id)?.Status == BackgroundTaskStatus.Running);
            Assert.True(ends is not null, $"{stillRunning} of {ids.Length} tasks of the cancelled tree were left running.");
            Assert.All(ends, summary => Assert.Equal(BackgroundTaskStatus.Cancelled, summary.Status));
        }

        Assert.Equal(1 + (Spawners - 1) + (Spawners * (ChildrenBeforeReady + ChildrenRacing + ChildrenAfterCancel) * 3), spawned.Count);
    }
}
