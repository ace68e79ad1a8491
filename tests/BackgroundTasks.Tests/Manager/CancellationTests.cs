using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class CancellationTests
{
    [Fact]
    public async Task CancelAsync_LiveTask_ReturnsTrueAndEndsCancelled()
    {
        await using var fixture = new ManagerFixture();
        var id = await fixture.SpawnWaitingAsync();

        Assert.True(await fixture.Manager.CancelAsync(id));

        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(id).Guarded()).Status);
    }

    [Fact]
    public async Task CancelAsync_UnknownOrEndedTask_ReturnsFalse()
    {
        await using var fixture = new ManagerFixture();
        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        await fixture.Manager.WaitAsync(id).Guarded();

        Assert.False(await fixture.Manager.CancelAsync(id));
        Assert.False(await fixture.Manager.CancelAsync("bg_404"));
    }

    [Fact]
    public async Task CancelAsync_IsCooperative_StatusStaysRunningUntilBodyEnds()
    {
        await using var fixture = new ManagerFixture();
        var release = new TaskCompletionSource();
        var sawCancel = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async context =>
        {
            await context.WhenCancelled();
            sawCancel.SetResult();
            await release.Task;
            context.CancellationToken.ThrowIfCancellationRequested();
            return TaskResult.Success(0);
        });

        await fixture.Manager.CancelAsync(id);
        await sawCancel.Task.Guarded();
        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(id)!.Status);

        release.SetResult();
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(id).Guarded()).Status);
    }

    [Fact]
    public async Task CancelTreeAsync_SignalsRootAndEveryDescendant_AndCountsThem()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.SpawnWaitingAsync();
        var child = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root });
        var grandchild = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = child });
        var sibling = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root });
        var unrelated = await fixture.SpawnWaitingAsync();

        Assert.Equal(4, await fixture.Manager.CancelTreeAsync(root));

        foreach (var id in new[] { root, child, grandchild, sibling })
        {
            Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(id).Guarded()).Status);
        }

        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(unrelated)!.Status);
    }

    [Fact]
    public async Task CancelTreeAsync_EndedRoot_StillSignalsLiveDescendants()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.Manager.SpawnAsync("t1", "x", null, "ends at once", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(0)));
        await fixture.Manager.WaitAsync(root).Guarded();
        var child = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root });
        var grandchild = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = child });

        Assert.Equal(2, await fixture.Manager.CancelTreeAsync(root));
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(grandchild).Guarded()).Status);
    }

    [Fact]
    public async Task CancelTreeAsync_UnknownRoot_ReturnsZero()
    {
        await using var fixture = new ManagerFixture();
        Assert.Equal(0, await fixture.Manager.CancelTreeAsync("bg_1"));
    }

    [Fact]
    public async Task CancelTreeAsync_DeepChain_DoesNotOverflow()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.SpawnWaitingAsync();
        var parent = root;
        for (var depth = 0; depth < 2_000; depth++)
        {
            parent = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = parent });
        }

        Assert.Equal(2_001, await fixture.Manager.CancelTreeAsync(root));
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(parent).Guarded()).Status);
    }

    [Fact]
    public async Task CancelAllAsync_SignalsOnlyThatThreadsLiveTasks()
    {
        await using var fixture = new ManagerFixture();
        var mine = new[] { await fixture.SpawnWaitingAsync("t1"), await fixture.SpawnWaitingAsync("t1") };
        var done = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(0)));
        await fixture.Manager.WaitAsync(done).Guarded();
        var theirs = await fixture.SpawnWaitingAsync("t2");

        Assert.Equal(2, await fixture.Manager.CancelAllAsync("t1"));

        foreach (var id in mine)
        {
            Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(id).Guarded()).Status);
        }

        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(theirs)!.Status);
        Assert.Equal(0, await fixture.Manager.CancelAllAsync("nobody"));
    }

    [Fact]
    public async Task CancelDescendantsForRunAsync_CancelsTheRunsTrees_AndCountsThem()
    {
        await using var fixture = new ManagerFixture();
        var run = new TaskParentContext { RunId = "run-1" };
        var rootA = await fixture.SpawnWaitingAsync(parent: run);
        var rootB = await fixture.SpawnWaitingAsync(parent: run);
        var nested = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = rootA });
        var otherRun = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { RunId = "run-2" });

        Assert.Equal(3, await fixture.Manager.CancelDescendantsForRunAsync("run-1"));

        foreach (var id in new[] { rootA, rootB, nested })
        {
            Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(id).Guarded()).Status);
        }

        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(otherRun)!.Status);
    }

    [Fact]
    public async Task CancelDescendantsForRunAsync_RefusesLaterRootAndNestedSpawns()
    {
        await using var fixture = new ManagerFixture();
        var nestedOutcome = new TaskCompletionSource<SpawnException?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mayTry = new TaskCompletionSource();
        var agent = await fixture.Manager.SpawnAsync("t1", "agent", null, "tries to spawn late", new TaskParentContext { RunId = "run-1" }, async context =>
        {
            await mayTry.Task;
            try
            {
                await fixture.SpawnWaitingAsync();
                nestedOutcome.SetResult(null);
            }
            catch (SpawnException error)
            {
                nestedOutcome.SetResult(error);
            }

            return TaskResult.Success(0);
        });

        await fixture.Manager.CancelDescendantsForRunAsync("run-1");
        mayTry.SetResult();

        var root = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnWaitingAsync(parent: new TaskParentContext { RunId = "run-1" }));
        Assert.Equal(SpawnError.ParentRunCancelled, root.Error);
        Assert.Equal("run-1", root.RunId);
        var nested = await nestedOutcome.Task.Guarded();
        Assert.NotNull(nested);
        Assert.Equal(SpawnError.ParentRunCancelled, nested.Error);
        await fixture.Manager.WaitAsync(agent).Guarded();

        using (ToolLineage.Begin("run-1", "call", "agent"))
        {
            var scoped = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnWaitingAsync());
            Assert.Equal(SpawnError.ParentRunCancelled, scoped.Error);
        }

        await fixture.SpawnWaitingAsync(parent: new TaskParentContext { RunId = "run-2" });
    }

    [Fact]
    public async Task CancelDescendantsForRunAsync_RacingSpawns_AreRefusedOrCancelled()
    {
        await using var fixture = new ManagerFixture();
        for (var round = 0; round < 10; round++)
        {
            var runId = "run-" + round;
            using var start = new Barrier(9);
            var spawns = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                start.SignalAndWait();
                var ids = new List<string>();
                try
                {
                    for (var i = 0; i < 20; i++)
                    {
                        ids.Add(await fixture.SpawnWaitingAsync(parent: new TaskParentContext { RunId = runId }));
                    }
                }
                catch (SpawnException error) when (error.Error == SpawnError.ParentRunCancelled)
                {
                }

                return ids;
            })).ToArray();
            var cancel = Task.Run(async () =>
            {
                start.SignalAndWait();
                return await fixture.Manager.CancelDescendantsForRunAsync(runId);
            });

            await cancel.Guarded();
            var spawned = (await Task.WhenAll(spawns).Guarded()).SelectMany(ids => ids).ToList();

            // Every spawn that got through ends Cancelled: none survives the run's cancellation.
            foreach (var id in spawned)
            {
                Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(id).Guarded()).Status);
            }
        }
    }

    [Fact]
    public async Task CancelTreeAsync_RacingWithCompletion_NeverCountsEndedTasksTwice()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.SpawnWaitingAsync();
        var children = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            children.Add(await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = root }));
        }

        var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => fixture.Manager.CancelTreeAsync(root)))).Guarded();

        Assert.All(counts, count => Assert.InRange(count, 0, 201));
        await Task.WhenAll(children.Select(id => fixture.Manager.WaitAsync(id))).Guarded();
        Assert.Equal(0, await fixture.Manager.CancelTreeAsync(root));
    }
}
