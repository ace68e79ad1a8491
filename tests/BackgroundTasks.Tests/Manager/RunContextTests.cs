using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

/// <summary>The execution context a task's end runs in: its run's, never what its body's own flow set.</summary>
public sealed class RunContextTests
{
    private static readonly AsyncLocal<string?> s_setByBody = new();

    [Fact]
    public async Task End_OfABodyThatSuspended_RunsInTheRunsContext_NotInTheBodysFlow()
    {
        // The observers of a task's end run on the thread that ends it; they see the task as CurrentTaskId (the run's
        // context, as the continuation of an await in the run would) and none of the ambient values the body set.
        await using var fixture = new ManagerFixture();
        var seen = new TaskCompletionSource<(string? Current, string? SetByBody)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Manager.Events.Subscribe(message =>
        {
            if (message is TaskEvent.Completed)
            {
                seen.TrySetResult((BackgroundTaskManager.CurrentTaskId, s_setByBody.Value));
            }
        });

        var id = await fixture.Manager.SpawnAsync("t1", "probe", null, "sets an ambient value", TaskParentContext.None, async _ =>
        {
            s_setByBody.Value = "body";
            await Task.Yield();
            return TaskResult.Success(0);
        });

        var (current, setByBody) = await seen.Task.Guarded();
        Assert.Equal(id, current);
        Assert.Null(setByBody);
    }

    [Fact]
    public async Task End_OfABodyThatFaultsAfterSuspending_IsFailedWithItsMessage()
    {
        await using var fixture = new ManagerFixture();

        var id = await fixture.Manager.SpawnAsync("t1", "probe", null, "fails late", TaskParentContext.None, async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("late failure");
        });

        var terminal = await fixture.Manager.WaitAsync(id).Guarded();
        Assert.Equal(BackgroundTaskStatus.Failed, terminal.Status);
        Assert.Contains("late failure", terminal.Error, StringComparison.Ordinal);
    }
}
