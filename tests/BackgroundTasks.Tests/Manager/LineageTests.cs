using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class LineageTests
{
    [Fact]
    public async Task SpawnAsync_ExplicitParentContext_IsRecorded()
    {
        await using var fixture = new ManagerFixture();
        var lineage = new TaskParentContext { TaskId = "bg_9", RunId = "run", CallId = "call", AgentId = "agent" };

        var id = await fixture.SpawnWaitingAsync(parent: lineage);

        Assert.Equal(lineage, fixture.Store.Lookup(id)!.ParentContext);
    }

    [Fact]
    public async Task SpawnAsync_InsideToolScope_FillsNullFieldsFromScope()
    {
        await using var fixture = new ManagerFixture();

        string id;
        using (ToolLineage.Begin("run-1", "call-1", "agent-1"))
        {
            id = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { CallId = "explicit-call" });
        }

        var lineage = fixture.Store.Lookup(id)!.ParentContext;
        Assert.Equal("run-1", lineage.RunId);
        Assert.Equal("explicit-call", lineage.CallId);
        Assert.Equal("agent-1", lineage.AgentId);
        Assert.Null(lineage.TaskId);
    }

    [Fact]
    public async Task SpawnAsync_AfterToolScopeEnds_RecordsNoLineage()
    {
        await using var fixture = new ManagerFixture();
        using (ToolLineage.Begin("run-1", "call-1", "agent-1"))
        {
        }

        var id = await fixture.SpawnWaitingAsync();

        Assert.True(fixture.Store.Lookup(id)!.ParentContext.IsEmpty);
    }

    [Fact]
    public async Task SpawnAsync_InsideBody_ParentIsCurrentTaskAndRunIdIsInherited()
    {
        await using var fixture = new ManagerFixture();
        var child = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        var parent = await fixture.Manager.SpawnAsync("t1", "agent", null, "spawns a child",
            new TaskParentContext { RunId = "run-1" }, async _ =>
            {
                child.SetResult(await fixture.SpawnWaitingAsync());
                return TaskResult.Success(0);
            });

        var childId = await child.Task.Guarded();
        var lineage = fixture.Store.Lookup(childId)!.ParentContext;
        Assert.Equal(parent, lineage.TaskId);
        Assert.Equal("run-1", lineage.RunId);
    }

    [Fact]
    public async Task SpawnAsync_InsideBodyWithOwnToolScope_UsesTheScopesRun()
    {
        await using var fixture = new ManagerFixture();
        var child = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        string parent;
        using (ToolLineage.Begin("outer-run", "outer-call", "outer-agent"))
        {
            parent = await fixture.Manager.SpawnAsync("t1", "agent", null, "runs its own loop", TaskParentContext.None, async _ =>
            {
                // The spawner's tool scope does not leak into the body...
                Assert.Null(ToolLineage.Current);
                using (ToolLineage.Begin("inner-run", "inner-call", "inner-agent"))
                {
                    child.SetResult(await fixture.SpawnWaitingAsync());
                }

                return TaskResult.Success(0);
            });
        }

        var lineage = fixture.Store.Lookup(await child.Task.Guarded())!.ParentContext;
        Assert.Equal(parent, lineage.TaskId);
        Assert.Equal("inner-run", lineage.RunId);
        Assert.Equal("inner-call", lineage.CallId);
        Assert.Equal("outer-run", fixture.Store.Lookup(parent)!.ParentContext.RunId);
    }

    [Fact]
    public async Task SpawnAsync_InsideBodyWithExplicitParent_KeepsTheExplicitParent()
    {
        await using var fixture = new ManagerFixture();
        var child = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        await fixture.Manager.SpawnAsync("t1", "agent", null, "spawns a sibling", TaskParentContext.None, async _ =>
        {
            child.SetResult(await fixture.SpawnWaitingAsync(parent: new TaskParentContext { TaskId = "bg_77" }));
            return TaskResult.Success(0);
        });

        Assert.Equal("bg_77", fixture.Store.Lookup(await child.Task.Guarded())!.ParentContext.TaskId);
    }

    [Fact]
    public async Task ResolveLiveChildTask_FindsByIdOrName_AndOnlyLiveChildren()
    {
        await using var fixture = new ManagerFixture();
        var parentGate = new TaskCompletionSource();
        var spawned = new TaskCompletionSource<(string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = await fixture.Manager.SpawnAsync("t1", "agent", null, "parent", TaskParentContext.None, async _ =>
        {
            var a = await fixture.SpawnWaitingAsync(name: "alpha");
            var b = await fixture.SpawnWaitingAsync(name: "beta");
            spawned.SetResult((a, b));
            await parentGate.Task;
            return TaskResult.Success(0);
        });
        var (alpha, beta) = await spawned.Task.Guarded();

        Assert.Equal(alpha, fixture.Manager.ResolveLiveChildTask(parent, "alpha"));
        Assert.Equal(beta, fixture.Manager.ResolveLiveChildTask(parent, beta));
        Assert.Null(fixture.Manager.ResolveLiveChildTask(parent, "gamma"));
        Assert.Null(fixture.Manager.ResolveLiveChildTask("bg_999", "alpha"));

        await fixture.Manager.CancelAsync(alpha);
        await fixture.Manager.WaitAsync(alpha).Guarded();
        Assert.Null(fixture.Manager.ResolveLiveChildTask(parent, "alpha"));
        parentGate.SetResult();
    }

    [Fact]
    public async Task ResolveLiveChildRun_FindsRootTasksOfTheRunOnly()
    {
        await using var fixture = new ManagerFixture();
        var root = await fixture.SpawnWaitingAsync(name: "root", parent: new TaskParentContext { RunId = "run-1" });
        var nested = await fixture.SpawnWaitingAsync(name: "nested", parent: new TaskParentContext { RunId = "run-1", TaskId = root });

        Assert.Equal(root, fixture.Manager.ResolveLiveChildRun("run-1", "root"));
        Assert.Equal(root, fixture.Manager.ResolveLiveChildRun("run-1", root));
        Assert.Null(fixture.Manager.ResolveLiveChildRun("run-1", "nested"));
        Assert.Null(fixture.Manager.ResolveLiveChildRun("run-1", nested));
        Assert.Null(fixture.Manager.ResolveLiveChildRun("run-2", "root"));
    }
}
