using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class ArgumentTests
{
    private static readonly Func<TaskContext, Task<TaskResult>> s_body = _ => Task.FromResult(TaskResult.Success(0));

    [Fact]
    public async Task SpawnAsync_ValidatesArguments()
    {
        await using var fixture = new ManagerFixture();
        var m = fixture.Manager;
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.SpawnAsync(null!, "x", null, "d", TaskParentContext.None, s_body));
        await Assert.ThrowsAsync<ArgumentException>(() => m.SpawnAsync("", "x", null, "d", TaskParentContext.None, s_body));
        await Assert.ThrowsAsync<ArgumentException>(() => m.SpawnAsync("t1", "", null, "d", TaskParentContext.None, s_body));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.SpawnAsync("t1", "x", null, null!, TaskParentContext.None, s_body));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.SpawnAsync("t1", "x", null, "d", null!, s_body));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.SpawnAgentAsync("t1", null, "d", TaskParentContext.None, null!));
        await Assert.ThrowsAsync<ArgumentException>(() => m.SpawnAgentAsync("", null, "d", TaskParentContext.None, (_, _, _) => Task.FromResult(TaskResult.Success(0))));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.SpawnAgentWithContextAsync("t1", null, "d", TaskParentContext.None, null!));
        await Assert.ThrowsAsync<ArgumentException>(() => m.SpawnAgentWithContextAsync("t1", " ", "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(0))));
        Assert.Equal(0, fixture.Store.Tasks.Count);
    }

    [Fact]
    public async Task QueriesAndCommands_RejectNullArguments()
    {
        await using var fixture = new ManagerFixture();
        var m = fixture.Manager;
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.CancelAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.CancelTreeAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.CancelAllAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.CancelDescendantsForRunAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.ListAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.GetAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.HasRunningAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.WaitAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.SendTaskInboxMessageAsync(null!, "t1", "a", "c"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.SendTaskInboxMessageAsync("bg_0", "t1", "a", null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => m.RestoreForThreadAsync("t1", null!));
        await Assert.ThrowsAsync<ArgumentException>(() => m.RestoreForThreadAsync("", BackgroundTaskStateSnapshot.Empty));
        Assert.Throws<ArgumentNullException>(() => m.ResolveLiveChildTask(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => m.ResolveLiveChildRun("r", null!));
        Assert.Throws<ArgumentNullException>(() => m.Watch(null!));
        Assert.Throws<ArgumentNullException>(() => m.SetOwnerInbox(null!));
        Assert.Throws<ArgumentNullException>(() => m.SetStore(null!));
        Assert.Throws<ArgumentNullException>(() => new BackgroundTaskManager((TaskStateStore)null!));
    }

    [Fact]
    public async Task TaskContext_Emit_RejectsEmptyEventType()
    {
        await using var fixture = new ManagerFixture();
        var outcome = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, context =>
        {
            outcome.SetResult(Record.Exception(() => context.Emit("", 1)));
            return Task.FromResult(TaskResult.Success(0));
        });

        Assert.IsType<ArgumentException>(await outcome.Task.Guarded());
    }
}
