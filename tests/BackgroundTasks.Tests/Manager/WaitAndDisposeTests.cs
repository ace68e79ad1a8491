using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class WaitAndDisposeTests
{
    [Fact]
    public async Task WaitAsync_ReturnsTheTerminalSummary_AfterTheTerminalEventWasSent()
    {
        await using var fixture = new ManagerFixture();
        var (sender, receiver) = Inbox.Create();
        fixture.Manager.SetOwnerInbox(sender);
        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(2)));

        var terminal = await fixture.Manager.WaitAsync(id).Guarded();

        Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
        Assert.True(receiver.TryReceive(out var message));
        Assert.IsType<TaskEvent.Completed>(message);
    }

    [Fact]
    public async Task WaitAsync_UnknownTask_ThrowsKeyNotFound()
    {
        await using var fixture = new ManagerFixture();
        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => fixture.Manager.WaitAsync("bg_3"));
        Assert.Equal(Messages.TaskNotFound("bg_3"), error.Message);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_StopsWaitingButNotTheTask()
    {
        await using var fixture = new ManagerFixture();
        var id = await fixture.SpawnWaitingAsync();
        using var stop = new CancellationTokenSource();

        var wait = fixture.Manager.WaitAsync(id, stop.Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait).Guarded();
        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(id)!.Status);
    }

    [Fact]
    public async Task WaitAsync_TaskOfAnotherManagerOnTheSameStore_WaitsForTheStore()
    {
        using var store = new TaskStateStore();
        await using var owner = new BackgroundTaskManager(store);
        await using var observer = new BackgroundTaskManager(store);
        var gate = new TaskCompletionSource();
        var id = await owner.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            return TaskResult.Success(1);
        });

        var wait = observer.WaitAsync(id);
        gate.SetResult();

        Assert.Equal(BackgroundTaskStatus.Completed, (await wait.Guarded()).Status);
    }

    [Fact]
    public async Task DisposeAsync_CancelsLiveTasksAndWaits_TerminalRecordsInTheStore()
    {
        using var store = new TaskStateStore();
        var manager = new BackgroundTaskManager(store);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async context =>
            {
                await context.WhenCancelled();
                await Task.Yield();
                return TaskResult.Cancelled;
            }));
        }

        await manager.DisposeAsync().AsTask().Guarded();

        Assert.All(ids, id => Assert.Equal(BackgroundTaskStatus.Cancelled, store.Lookup(id)!.Status));
    }

    [Fact]
    public async Task DisposeAsync_LaterSpawnsThrowObjectDisposed_AndEventsComplete()
    {
        using var store = new TaskStateStore();
        var manager = new BackgroundTaskManager(store);
        var eventsCompleted = manager.Events.LastOrDefaultAsync().ToTask();

        await manager.DisposeAsync();
        await manager.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Success(0))));
        await eventsCompleted.Guarded();
    }

    [Fact]
    public async Task DisposeAsync_RacingWithSpawns_LeavesNoTaskRunning()
    {
        for (var round = 0; round < 10; round++)
        {
            using var store = new TaskStateStore();
            var manager = new BackgroundTaskManager(store);
            using var start = new Barrier(5);
            var spawners = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                start.SignalAndWait();
                try
                {
                    while (true)
                    {
                        await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async context =>
                        {
                            await context.WhenCancelled();
                            return TaskResult.Cancelled;
                        });
                    }
                }
                catch (ObjectDisposedException)
                {
                }
            })).ToArray();

            start.SignalAndWait();
            await manager.DisposeAsync().AsTask().Guarded();
            await Task.WhenAll(spawners).Guarded();

            Assert.All(store.Tasks.Items, summary => Assert.Equal(BackgroundTaskStatus.Cancelled, summary.Status));
        }
    }
}
