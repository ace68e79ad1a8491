using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using BackgroundTasks.Tests.TestSupport;
using static BackgroundTasks.Tests.Controls.ConcurrencyLimitTests;

namespace BackgroundTasks.Tests.Controls;

public sealed class ConcurrencyLimitCancelTests
{
    [Fact]
    public async Task CancelAsync_OnAQueuedTask_EndsItCancelledAtOnce_AndItsBodyNeverRuns()
    {
        await using var fixture = Limited(maxRunning: 1);
        var gate = new TaskCompletionSource();
        await fixture.SpawnGatedAsync(gate.Task);
        var entered = 0;
        var queued = await SpawnCountingAsync(fixture, () => Interlocked.Increment(ref entered));
        var next = await fixture.SpawnGatedAsync(Task.CompletedTask);
        var terminalEvent = fixture.Manager.Events.FirstAsync(e => e.TaskId == queued).ToTask();

        Assert.True(await fixture.Manager.CancelAsync(queued));

        var record = fixture.Store.Lookup(queued)!;
        Assert.Equal(BackgroundTaskStatus.Cancelled, record.Status);
        Assert.NotNull(record.CompletedAt);
        Assert.Null(record.StartedAt);
        Assert.Equal(0, record.Attempt);
        Assert.IsType<TaskEvent.Cancelled>(await terminalEvent.Guarded());
        Assert.False(await fixture.Manager.CancelAsync(queued));

        // The slot goes past the cancelled task to the next one in the queue.
        gate.SetResult();
        Assert.Equal(BackgroundTaskStatus.Completed, (await fixture.Manager.WaitAsync(next).Guarded()).Status);
        Assert.Equal(0, Volatile.Read(ref entered));
    }

    [Fact]
    public async Task EveryCancelScope_ReachesQueuedTasks()
    {
        await using var fixture = Limited(maxRunning: 1);
        var entered = 0;
        var running = await fixture.SpawnWaitingAsync();
        var byTree = await SpawnCountingAsync(fixture, () => Interlocked.Increment(ref entered));
        var byRun = await SpawnCountingAsync(fixture, () => Interlocked.Increment(ref entered), new TaskParentContext { RunId = "run-1" });
        var byOwner = await SpawnCountingAsync(fixture, () => Interlocked.Increment(ref entered));

        Assert.Equal(1, await fixture.Manager.CancelTreeAsync(byTree));
        Assert.Equal(1, await fixture.Manager.CancelDescendantsForRunAsync("run-1"));
        Assert.Equal(2, await fixture.Manager.CancelAllAsync("t1"));

        foreach (var taskId in new[] { byTree, byRun, byOwner, running })
        {
            Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(taskId).Guarded()).Status);
        }

        Assert.Equal(0, Volatile.Read(ref entered));
    }

    [Fact]
    public async Task DisposeAsync_EndsQueuedTasksCancelled_WithoutRunningThem()
    {
        var fixture = Limited(maxRunning: 2);
        var entered = 0;
        await fixture.SpawnWaitingAsync();
        await fixture.SpawnWaitingAsync();
        var queued = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            queued.Add(await SpawnCountingAsync(fixture, () => Interlocked.Increment(ref entered)));
        }

        await fixture.DisposeAsync().AsTask().Guarded();

        Assert.All(fixture.Store.Tasks.Items, s => Assert.Equal(BackgroundTaskStatus.Cancelled, s.Status));
        Assert.All(queued, id => Assert.Null(fixture.Store.Lookup(id)!.StartedAt));
        Assert.Equal(0, Volatile.Read(ref entered));
    }

    [Fact]
    public async Task WaitAsync_OnAQueuedTask_ReturnsItsTerminalSummary()
    {
        await using var fixture = Limited(maxRunning: 1);
        var gate = new TaskCompletionSource();
        await fixture.SpawnGatedAsync(gate.Task);
        var queued = await fixture.SpawnGatedAsync(Task.CompletedTask, value: "later");

        var waiting = fixture.Manager.WaitAsync(queued);
        Assert.False(waiting.IsCompleted);
        gate.SetResult();

        Assert.Equal("later", (await waiting.Guarded()).Result!.Value.GetString());
    }

    [Fact]
    public async Task CancelAndWaitAsync_OnAQueuedTask_ReturnsItsCancelledRecordAtOnce()
    {
        await using var fixture = Limited(maxRunning: 1);
        var gate = new TaskCompletionSource();
        await fixture.SpawnGatedAsync(gate.Task);
        var entered = 0;
        var queued = await SpawnCountingAsync(fixture, () => Interlocked.Increment(ref entered));

        var stopped = fixture.Manager.CancelAndWaitAsync(queued, TimeSpan.Zero);

        Assert.True(stopped.IsCompletedSuccessfully);
        var terminal = (await stopped)!;
        Assert.Equal(BackgroundTaskStatus.Cancelled, terminal.Status);
        Assert.Null(terminal.Error);
        gate.SetResult();
        Assert.Equal(0, Volatile.Read(ref entered));
    }

    [Fact]
    public async Task AnAbandonedTask_FreesItsRunSlot_ForTheNextQueuedOne()
    {
        await using var fixture = Limited(maxRunning: 1);
        var stuck = await fixture.Manager.SpawnAsync("t1", "stuck", null, "ignores its token", TaskParentContext.None,
            async _ =>
            {
                await new TaskCompletionSource().Task;
                return TaskResult.Success(0);
            });
        var next = await fixture.SpawnGatedAsync(Task.CompletedTask, value: "ran");

        var abandoned = await fixture.Manager.CancelAndWaitAsync(stuck, TimeSpan.Zero).Guarded();

        Assert.Equal(BackgroundTaskStatus.Cancelled, abandoned!.Status);
        Assert.Equal("ran", (await fixture.Manager.WaitAsync(next).Guarded()).Result!.Value.GetString());
    }

    internal static Task<string> SpawnCountingAsync(ManagerFixture fixture, Action onEntry, TaskParentContext? parent = null) =>
        fixture.Manager.SpawnAsync("t1", "counted", null, "counts its runs", parent ?? TaskParentContext.None, _ =>
        {
            onEntry();
            return Task.FromResult(TaskResult.Success(0));
        });
}
