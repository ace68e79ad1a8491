using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class WhenIdleTests
{
    private const int RaceRounds = 200;

    [Fact]
    public async Task WhenIdleAsync_NoLiveTask_CompletesAtOnce()
    {
        await using var fixture = new ManagerFixture();
        await using var noStore = new BackgroundTaskManager();

        Assert.True(fixture.Manager.WhenIdleAsync().IsCompletedSuccessfully);
        Assert.True(noStore.WhenIdleAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WhenIdleAsync_LiveTask_CompletesAfterItsTerminalRecordAndEvent()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var taskId = await fixture.SpawnGatedAsync(gate.Task);
        var terminalEvents = 0;
        using var events = fixture.Manager.Events.Subscribe(e =>
        {
            if (e is TaskEvent.Completed)
            {
                Interlocked.Increment(ref terminalEvents);
            }
        });

        var idle = fixture.Manager.WhenIdleAsync();
        Assert.False(idle.IsCompleted);
        gate.SetResult();
        await idle.Guarded();

        Assert.Equal(BackgroundTaskStatus.Completed, fixture.Store.Lookup(taskId)!.Status);
        Assert.Equal(1, Volatile.Read(ref terminalEvents));
    }

    [Fact]
    public async Task WhenIdleAsync_TasksOfSeveralThreads_WaitsForTheLastToEnd()
    {
        await using var fixture = new ManagerFixture();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstId = await fixture.SpawnGatedAsync(first.Task, owner: "t1");
        await fixture.SpawnGatedAsync(second.Task, owner: "t2");
        var idle = fixture.Manager.WhenIdleAsync();

        first.SetResult();
        await fixture.Manager.WaitAsync(firstId).Guarded();

        // The first task's end is complete (its waiters woke after it left the live table): only the second holds the wait.
        Assert.False(idle.IsCompleted);
        second.SetResult();
        await idle.Guarded();
    }

    [Fact]
    public async Task WhenIdleAsync_QueuedTask_CountsAsLive()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { MaxRunningPerOwner = 1 });
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runningId = await fixture.SpawnGatedAsync(running.Task);
        var queuedId = await fixture.SpawnGatedAsync(queued.Task);
        Assert.Equal(BackgroundTaskStatus.Queued, fixture.Store.Lookup(queuedId)!.Status);
        var idle = fixture.Manager.WhenIdleAsync();

        running.SetResult();
        await fixture.Manager.WaitAsync(runningId).Guarded();

        Assert.False(idle.IsCompleted);
        queued.SetResult();
        await idle.Guarded();
        Assert.Equal(BackgroundTaskStatus.Completed, fixture.Store.Lookup(queuedId)!.Status);
    }

    [Fact]
    public async Task WhenIdleAsync_Cancelled_ThrowsAndLeavesOtherWaitersWaiting()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await fixture.SpawnGatedAsync(gate.Task);
        using var cancel = new CancellationTokenSource();
        var cancelled = fixture.Manager.WhenIdleAsync(cancel.Token);
        var other = fixture.Manager.WhenIdleAsync();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Guarded());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Manager.WhenIdleAsync(cancel.Token));
        Assert.False(other.IsCompleted);
        gate.SetResult();
        await other.Guarded();
    }

    [Fact]
    public async Task WhenIdleAsync_ManagerDisposed_CompletesOnceItsTasksEnded()
    {
        var fixture = new ManagerFixture();
        var taskId = await fixture.SpawnWaitingAsync();
        var idle = fixture.Manager.WhenIdleAsync();

        await fixture.DisposeAsync();

        Assert.True(idle.IsCompletedSuccessfully);
        Assert.True(fixture.Manager.WhenIdleAsync().IsCompletedSuccessfully);
        Assert.Equal(BackgroundTaskStatus.Cancelled, fixture.Store.Lookup(taskId)!.Status);
    }

    [Fact]
    public async Task WhenIdleAsync_CalledRacingTheLastEnd_AlwaysCompletes()
    {
        await using var fixture = new ManagerFixture();
        for (var round = 0; round < RaceRounds; round++)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await fixture.SpawnGatedAsync(gate.Task);
            using var start = new Barrier(2);

            var end = Task.Run(() =>
            {
                start.SignalAndWait();
                gate.SetResult();
            });
            var idle = Task.Run(() =>
            {
                start.SignalAndWait();
                return fixture.Manager.WhenIdleAsync();
            });

            await end;
            await idle.Guarded();
        }
    }

    [Fact]
    public async Task WhenIdleAsync_SpawnRacingTheLastEnd_NeverCompletesWhileTheSpawnedTaskIsLive()
    {
        await using var fixture = new ManagerFixture();
        for (var round = 0; round < RaceRounds; round++)
        {
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var firstId = await fixture.SpawnGatedAsync(first.Task);

            // A waiter from before the race: the end may take it while the second task registers.
            var idleBefore = fixture.Manager.WhenIdleAsync();
            using var start = new Barrier(2);

            var end = Task.Run(() =>
            {
                start.SignalAndWait();
                first.SetResult();
            });
            var spawn = Task.Run(async () =>
            {
                start.SignalAndWait();
                await fixture.SpawnGatedAsync(second.Task);
                return fixture.Manager.WhenIdleAsync();
            });

            await end;
            var idleAfter = await spawn.Guarded();
            await fixture.Manager.WaitAsync(firstId).Guarded();

            // The first task's end is over and the second task is live: a wait begun after its spawn must still be pending.
            Assert.False(idleAfter.IsCompleted, $"round {round}: idle reported while a spawned task is live");
            second.SetResult();
            await idleAfter.Guarded();
            await idleBefore.Guarded();
        }
    }
}
