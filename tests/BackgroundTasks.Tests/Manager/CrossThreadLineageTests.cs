using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

/// <summary>A task's parent is always a task of its own thread: explicit cross-thread parents are refused, the ambient one is dropped.</summary>
public sealed class CrossThreadLineageTests
{
    private const string Secret = "tenant-b-secret";

    [Fact]
    public async Task Spawn_ExplicitParentOfAnotherThread_IsRefusedWithoutNamingItsThreadOrContents()
    {
        await using var fixture = new ManagerFixture();
        var foreign = await fixture.Manager.SpawnAsync(Secret, "secret-type", "secret-name", "secret description", TaskParentContext.None, async context =>
        {
            await context.WhenCancelled();
            return TaskResult.Cancelled;
        });
        var parent = new TaskParentContext { TaskId = foreign };

        var onManager = await Assert.ThrowsAsync<ArgumentException>("parentContext", () => fixture.SpawnWaitingAsync(owner: "t1", parent: parent));
        var onView = await Assert.ThrowsAsync<ArgumentException>("parentContext", () =>
            fixture.Manager.ForThread("t1").SpawnAsync("x", null, "d", parent, _ => Task.FromResult(TaskResult.Cancelled)));
        var agent = await Assert.ThrowsAsync<ArgumentException>("parentContext", () =>
            fixture.Manager.SpawnAgentAsync("t1", null, "d", parent, (_, _, _) => Task.FromResult(TaskResult.Cancelled)));

        foreach (var refused in new[] { onManager, onView, agent })
        {
            Assert.Contains(foreign, refused.Message, StringComparison.Ordinal);
            Assert.Contains("another thread", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Single(fixture.Store.Tasks.Items);
        Assert.Equal("bg_1", await fixture.SpawnWaitingAsync(owner: Secret, parent: parent));
    }

    [Fact]
    public async Task Spawn_UnknownExplicitParent_IsStillAllowed()
    {
        await using var fixture = new ManagerFixture();

        var id = await fixture.SpawnWaitingAsync(owner: "t1", parent: new TaskParentContext { TaskId = "bg_from_elsewhere" });

        Assert.Equal("bg_from_elsewhere", fixture.Store.Lookup(id)!.ParentContext.TaskId);
    }

    [Fact]
    public async Task AmbientParent_SpawnForAnotherThread_GetsNoParentTaskNoInheritedRunButTheToolScope()
    {
        await using var fixture = new ManagerFixture();
        var spawned = new TaskCompletionSource<(string Own, string Other, string Scoped)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = await fixture.Manager.SpawnAsync("t1", "x", null, "spawns for two threads", new TaskParentContext { RunId = "run-1" }, async _ =>
        {
            var own = await fixture.SpawnWaitingAsync(owner: "t1");
            var other = await fixture.SpawnWaitingAsync(owner: "t2");
            string scoped;
            using (ToolLineage.Begin("run-2", "call-2", "agent-2"))
            {
                scoped = await fixture.SpawnWaitingAsync(owner: "t2");
            }

            spawned.SetResult((own, other, scoped));
            return TaskResult.Success(0);
        });

        var (ownId, otherId, scopedId) = await spawned.Task.Guarded();

        var own = fixture.Store.Lookup(ownId)!.ParentContext;
        Assert.Equal(parent, own.TaskId);
        Assert.Equal("run-1", own.RunId);
        Assert.True(fixture.Store.Lookup(otherId)!.ParentContext.IsEmpty);
        var scoped = fixture.Store.Lookup(scopedId)!.ParentContext;
        Assert.Null(scoped.TaskId);
        Assert.Equal("run-2", scoped.RunId);
        Assert.Equal("call-2", scoped.CallId);
        Assert.Equal("agent-2", scoped.AgentId);
    }
}
