using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class ListTreeTests
{
    [Fact]
    public async Task ListTreeAsync_ReturnsTheRootFirst_ThenEveryDescendantLiveOrEnded_InSpawnOrder()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        var root = await fixture.SpawnGatedAsync(gate.Task);
        var childA = await SpawnChildAsync(fixture, root, gate.Task);
        var grandchild = await SpawnChildAsync(fixture, childA, Task.CompletedTask);
        var childB = await SpawnChildAsync(fixture, root, gate.Task);
        var greatGrandchild = await SpawnChildAsync(fixture, grandchild, gate.Task);
        var unrelated = await fixture.SpawnGatedAsync(gate.Task);
        await fixture.Manager.WaitAsync(grandchild).Guarded();

        var tree = await fixture.Manager.ListTreeAsync(root);

        Assert.Equal([root, childA, grandchild, childB, greatGrandchild], tree.Select(s => s.TaskId));
        Assert.Equal(BackgroundTaskStatus.Completed, tree[2].Status);
        Assert.DoesNotContain(unrelated, tree.Select(s => s.TaskId));
        Assert.Equal([grandchild, greatGrandchild], (await fixture.Manager.ListTreeAsync(grandchild)).Select(s => s.TaskId));
        gate.SetResult();
    }

    [Fact]
    public async Task ListTreeAsync_OrdersByIdNumber_NotByText()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        var root = await fixture.SpawnGatedAsync(gate.Task);
        var children = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            children.Add(await SpawnChildAsync(fixture, root, gate.Task));
        }

        var tree = await fixture.Manager.ListTreeAsync(root);

        Assert.Equal([root, .. children], tree.Select(s => s.TaskId));
        gate.SetResult();
    }

    [Fact]
    public async Task ListTreeAsync_AnUnknownId_IsEmpty_AndNullIsRefused()
    {
        await using var fixture = new ManagerFixture();

        Assert.Empty(await fixture.Manager.ListTreeAsync("bg_404"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => fixture.Manager.ListTreeAsync(null!));
    }

    [Fact]
    public async Task ListTreeAsync_ARestoredCycle_StopsAtTheRoot()
    {
        await using var fixture = new ManagerFixture();
        var now = DateTimeOffset.UnixEpoch;
        TaskSummary Record(string id, string parent) => new()
        {
            TaskId = id, OwnerThreadId = "t1", TaskType = "x", Description = "d", Status = BackgroundTaskStatus.Completed,
            CreatedAt = now, CompletedAt = now, ParentContext = new TaskParentContext { TaskId = parent },
        };

        // A hand-edited snapshot: each task is the other's parent.
        await fixture.Manager.RestoreForThreadAsync("t1", new BackgroundTaskStateSnapshot(
            new Dictionary<string, TaskSummary> { ["a"] = Record("a", "b"), ["b"] = Record("b", "a") }));

        Assert.Equal(["a", "b"], (await fixture.Manager.ListTreeAsync("a")).Select(s => s.TaskId));
    }

    private static Task<string> SpawnChildAsync(ManagerFixture fixture, string parent, Task gate) =>
        fixture.Manager.SpawnAsync("t1", "child", null, "a child", new TaskParentContext { TaskId = parent }, async _ =>
        {
            await gate;
            return TaskResult.Success(0);
        });
}
