using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

/// <summary>A thread's view reaches only that thread's tasks: another thread's id behaves exactly like an unknown id.</summary>
public sealed class ThreadTasksTests
{
    private const string Unknown = "bg_999";

    [Fact]
    public void PublicSurface_HasEveryMemberOfApiMdThreadScope()
    {
        string[] promised =
        [
            "OwnerThreadId", "SpawnAsync", "SpawnAgentAsync", "SpawnAgentWithContextAsync", "CancelAsync", "CancelTreeAsync",
            "CancelAllAsync", "CancelAndWaitAsync", "GetAsync", "ListAsync", "ListTreeAsync", "HasRunningAsync", "WaitAsync",
            "SendTaskInboxMessageAsync", "Connect", "ObserveEvents",
        ];
        var members = typeof(ThreadTasks).GetMembers().Select(m => m.Name).ToHashSet();

        Assert.True(typeof(ThreadTasks).IsPublic && typeof(ThreadTasks).IsSealed);
        Assert.All(promised, name => Assert.Contains(name, members));
        Assert.Equal(typeof(ThreadTasks), typeof(BackgroundTaskManager).GetMethod(nameof(BackgroundTaskManager.ForThread))!.ReturnType);
    }

    [Fact]
    public void ForThread_NullOrEmptyThread_Throws()
    {
        var manager = new BackgroundTaskManager();
        Assert.Throws<ArgumentNullException>("ownerThreadId", () => manager.ForThread(null!));
        Assert.Throws<ArgumentException>("ownerThreadId", () => manager.ForThread(""));
        Assert.Equal("t1", manager.ForThread("t1").OwnerThreadId);
    }

    [Fact]
    public async Task EveryTaskIdMember_NullId_ThrowsArgumentNullException()
    {
        await using var fixture = new ManagerFixture();
        var view = fixture.Manager.ForThread("t1");

        await Assert.ThrowsAsync<ArgumentNullException>("taskId", () => view.CancelAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>("taskId", () => view.CancelTreeAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>("taskId", () => view.GetAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>("taskId", () => view.CancelAndWaitAsync(null!, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentNullException>("taskId", () => view.ListTreeAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>("taskId", () => view.WaitAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>("taskId", () => view.SendTaskInboxMessageAsync(null!, "a", "c"));
        await Assert.ThrowsAsync<ArgumentNullException>("senderAgentId", () => view.SendTaskInboxMessageAsync("bg_0", null!, "c"));
        await Assert.ThrowsAsync<ArgumentNullException>("content", () => view.SendTaskInboxMessageAsync("bg_0", "a", null!));
        await Assert.ThrowsAsync<ArgumentNullException>("taskFn", () => view.SpawnAsync("x", null, "d", TaskParentContext.None, null!));
        await Assert.ThrowsAsync<ArgumentException>("taskType", () => view.SpawnAsync("", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Cancelled)));
    }

    [Fact]
    public async Task CancelAndGet_AnotherThreadsTask_BehaveAsForAnUnknownIdAndLeaveItRunning()
    {
        await using var fixture = new ManagerFixture();
        var foreign = await fixture.SpawnWaitingAsync(owner: "t2");
        var view = fixture.Manager.ForThread("t1");

        Assert.False(await view.CancelAsync(Unknown));
        Assert.False(await view.CancelAsync(foreign));
        Assert.Equal(0, await view.CancelTreeAsync(Unknown));
        Assert.Equal(0, await view.CancelTreeAsync(foreign));
        Assert.Null(await view.GetAsync(Unknown));
        Assert.Null(await view.GetAsync(foreign));
        Assert.Equal(0, await view.CancelAllAsync());

        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(foreign)!.Status);
        Assert.False(await fixture.Manager.ForThread("t1").HasRunningAsync());
        Assert.Empty(await view.ListAsync());
    }

    [Fact]
    public async Task CancelAndWaitAndListTree_AnotherThreadsTask_BehaveAsForAnUnknownIdAndLeaveItRunning()
    {
        await using var fixture = new ManagerFixture();
        var foreign = await fixture.SpawnWaitingAsync(owner: "t2");
        var child = await fixture.SpawnWaitingAsync(owner: "t2", parent: new TaskParentContext { TaskId = foreign });
        var view = fixture.Manager.ForThread("t1");

        Assert.Null(await view.CancelAndWaitAsync(Unknown, TimeSpan.Zero));
        Assert.Null(await view.CancelAndWaitAsync(foreign, TimeSpan.Zero));
        Assert.Empty(await view.ListTreeAsync(Unknown));
        Assert.Empty(await view.ListTreeAsync(foreign));
        var unknownGrace = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => view.CancelAndWaitAsync(Unknown, TimeSpan.FromSeconds(-2)));
        var foreignGrace = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => view.CancelAndWaitAsync(foreign, TimeSpan.FromSeconds(-2)));
        Assert.Equal(unknownGrace.Message, foreignGrace.Message);

        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(foreign)!.Status);
        var owners = fixture.Manager.ForThread("t2");
        Assert.Equal([foreign, child], (await owners.ListTreeAsync(foreign)).Select(summary => summary.TaskId));
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await owners.CancelAndWaitAsync(foreign, Timeout.InfiniteTimeSpan).Guarded())!.Status);
    }

    [Fact]
    public async Task WaitAsync_AnotherThreadsTask_ThrowsTheUnknownIdError()
    {
        await using var fixture = new ManagerFixture();
        var foreign = await fixture.Manager.SpawnAsync("t2", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        await fixture.Manager.WaitAsync(foreign).Guarded();
        var view = fixture.Manager.ForThread("t1");

        var unknown = await Assert.ThrowsAsync<KeyNotFoundException>(() => view.WaitAsync(Unknown));
        var other = await Assert.ThrowsAsync<KeyNotFoundException>(() => view.WaitAsync(foreign));

        Assert.Equal(unknown.Message.Replace(Unknown, foreign, StringComparison.Ordinal), other.Message);
        Assert.Equal((await Assert.ThrowsAsync<KeyNotFoundException>(() => fixture.Manager.WaitAsync(Unknown))).Message, unknown.Message);
    }

    [Fact]
    public async Task SendTaskInboxMessageAsync_AnotherThreadsAgent_ThrowsTaskNotFoundNotNotOwner()
    {
        await using var fixture = new ManagerFixture();
        var foreign = await fixture.Manager.SpawnAgentAsync("t2", null, "listens", TaskParentContext.None, async (token, _, inbox) =>
        {
            await inbox.ReceiveAsync(token);
            return TaskResult.Success(0);
        });
        var view = fixture.Manager.ForThread("t1");

        var unknown = await Assert.ThrowsAsync<SendException>(() => view.SendTaskInboxMessageAsync(Unknown, "a", "hello"));
        var other = await Assert.ThrowsAsync<SendException>(() => view.SendTaskInboxMessageAsync(foreign, "a", "hello"));

        Assert.Equal(SendError.TaskNotFound, unknown.Error);
        Assert.Equal(SendError.TaskNotFound, other.Error);
        Assert.Equal(unknown.Message.Replace(Unknown, foreign, StringComparison.Ordinal), other.Message);
        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(foreign)!.Status);
        await fixture.Manager.ForThread("t2").SendTaskInboxMessageAsync(foreign, "a", "hello");
        Assert.Equal(BackgroundTaskStatus.Completed, (await fixture.Manager.WaitAsync(foreign).Guarded()).Status);
    }

    [Fact]
    public async Task ThreadMembers_SeeOnlyTheirOwnThreadsTasks()
    {
        await using var fixture = new ManagerFixture();
        var view = fixture.Manager.ForThread("t1");
        var mine = await view.SpawnAsync("x", "worker", "mine", TaskParentContext.None, async context =>
        {
            await context.WhenCancelled();
            return TaskResult.Cancelled;
        });
        var foreign = await fixture.SpawnWaitingAsync(owner: "t2", name: "worker");
        var keys = new List<string>();
        using var changes = view.Connect().Subscribe(set =>
        {
            lock (keys)
            {
                keys.AddRange(set.Select(change => change.Key));
            }
        });

        Assert.Equal("t1", (await view.GetAsync(mine))!.OwnerThreadId);
        Assert.Equal([mine], (await view.ListAsync()).Select(s => s.TaskId));
        Assert.True(await view.HasRunningAsync());
        Assert.Equal(1, await view.CancelAllAsync());
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await view.WaitAsync(mine).Guarded()).Status);

        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(foreign)!.Status);
        Assert.False(await view.HasRunningAsync());
        lock (keys)
        {
            Assert.Equal([mine, mine], keys);
        }
    }

    [Fact]
    public async Task CancelTreeAsync_AnotherThreadsTaskBelowTheRoot_IsLeftRunning()
    {
        await using var fixture = new ManagerFixture();

        // Named before it exists, the parent is unknown to the spawn, so nothing refuses this link; bg_1 is t1's.
        var foreignChild = await fixture.SpawnWaitingAsync(owner: "t2", parent: new TaskParentContext { TaskId = "bg_1" });
        var root = await fixture.SpawnWaitingAsync(owner: "t1");
        Assert.Equal("bg_1", root);
        var ownChild = await fixture.SpawnWaitingAsync(owner: "t1", parent: new TaskParentContext { TaskId = root });

        Assert.Equal(2, await fixture.Manager.ForThread("t1").CancelTreeAsync(root));

        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(ownChild).Guarded()).Status);
        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(foreignChild)!.Status);
        var late = await fixture.SpawnWaitingAsync(owner: "t2", parent: new TaskParentContext { TaskId = foreignChild });
        Assert.False((await fixture.Manager.GetAsync(late))!.Status.IsTerminal());
        Assert.True(await fixture.Manager.CancelAsync(late));
    }

    [Fact]
    public async Task SpawnOverloads_WithAndWithoutSpawnOptions_RecordTheViewsThreadAsOwner()
    {
        await using var fixture = new ManagerFixture();
        var view = fixture.Manager.ForThread("t1");
        Func<TaskContext, Task<TaskResult>> plain = _ => Task.FromResult(TaskResult.Success(0));
        Func<CancellationToken, InboxSender, InboxReceiver, Task<TaskResult>> raw = (_, _, _) => Task.FromResult(TaskResult.Success(0));
        Func<AgentTaskContext, Task<TaskResult>> agent = _ => Task.FromResult(TaskResult.Success(0));

        string[] ids =
        [
            await view.SpawnAsync("x", null, "d", TaskParentContext.None, plain),
            await view.SpawnAsync("x", null, "d", TaskParentContext.None, SpawnOptions.Default, plain),
            await view.SpawnAgentAsync(null, "d", TaskParentContext.None, raw),
            await view.SpawnAgentAsync(null, "d", TaskParentContext.None, SpawnOptions.Default, raw),
            await view.SpawnAgentWithContextAsync(null, "d", TaskParentContext.None, agent),
            await view.SpawnAgentWithContextAsync(null, "d", TaskParentContext.None, SpawnOptions.Default, agent),
        ];

        foreach (var id in ids)
        {
            var end = await view.WaitAsync(id).Guarded();
            Assert.Equal("t1", end.OwnerThreadId);
            Assert.Equal(BackgroundTaskStatus.Completed, end.Status);
        }

        Assert.Equal(ids, (await view.ListAsync()).Select(s => s.TaskId));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            view.SpawnAsync("x", null, "d", TaskParentContext.None, new SpawnOptions { Retry = new RetryPolicy { MaxAttempts = 0 } }, plain));
    }
}
