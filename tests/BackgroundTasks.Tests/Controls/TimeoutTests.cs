using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Controls;

public sealed class TimeoutTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task Timeout_BodyHonouringItsToken_EndsFailedWithTheExactTextWhenItPasses()
    {
        await using var time = new VirtualTime();
        var started = new TaskCompletionSource<TaskContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var taskId = await time.SpawnAsync(new SpawnOptions { Timeout = TimeSpan.FromSeconds(5) }, async context =>
        {
            started.SetResult(context);
            await context.WhenCancelled();
            return TaskResult.Success("ignored: the attempt has already timed out");
        });
        var context = await started.Task.Guarded();

        time.Clock.Advance(TimeSpan.FromSeconds(5) - s_tick);
        Assert.False(context.IsCancellationRequested);
        time.Clock.Advance(s_tick);
        Assert.True(context.IsCancellationRequested);
        var terminal = await time.WaitAsync(taskId);

        Assert.Equal(BackgroundTaskStatus.Failed, terminal.Status);
        Assert.Equal("timed out after 00:00:05", terminal.Error);
        Assert.Null(terminal.Result);
        Assert.Equal(time.Clock.GetUtcNow(), terminal.CompletedAt);
        var failed = Assert.IsType<TaskEvent.Failed>(Assert.Single(time.Events.Of(taskId)));
        Assert.Equal("timed out after 00:00:05", failed.Error);
    }

    [Fact]
    public async Task Timeout_BodyIgnoringItsToken_IsAbandonedAtTheTimeoutAndItsLateResultIgnoredAndLogged()
    {
        await using var time = new VirtualTime();
        var started = new TaskCompletionSource<TaskContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lateEmit = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var taskId = await time.SpawnAsync(new SpawnOptions { Timeout = TimeSpan.FromMilliseconds(1500) }, async context =>
        {
            started.SetResult(context);
            await release.Task;
            lateEmit.SetResult(context.Emit("progress", ManagerFixture.Json("{}")));
            return TaskResult.Success("too late");
        }, name: "stuck");
        await started.Task.Guarded();

        time.Clock.Advance(TimeSpan.FromMilliseconds(1500));
        var terminal = await time.WaitAsync(taskId);
        Assert.Equal("timed out after 00:00:01.5000000", terminal.Error);
        Assert.Equal("bg_1", await time.SpawnAsync(SpawnOptions.Default, _ => Task.FromResult(TaskResult.Success(1)), name: "stuck"));

        release.SetResult();
        Assert.False(await lateEmit.Task.Guarded());
        var logged = await time.Log.WhenLogged("LateResultIgnored").Guarded();

        Assert.Contains(taskId, logged, StringComparison.Ordinal);
        Assert.Contains("completed", logged, StringComparison.Ordinal);
        Assert.Equal(terminal, time.Record(taskId));
        Assert.IsType<TaskEvent.Failed>(Assert.Single(time.Events.Of(taskId)));
    }

    [Fact]
    public async Task Timeout_BodyBlockingItsThreadBeforeItsFirstAwait_StillEndsAtTheDeadline()
    {
        await using var time = new VirtualTime();
        using var release = new ManualResetEventSlim();
        var blocking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var taskId = await time.SpawnAsync(new SpawnOptions { Timeout = TimeSpan.FromSeconds(3) }, _ =>
        {
            blocking.SetResult();
            release.Wait(Hang.Guard);
            return Task.FromResult(TaskResult.Success("late"));
        });
        await blocking.Task.Guarded();

        time.Clock.Advance(TimeSpan.FromSeconds(3));
        var terminal = await time.WaitAsync(taskId);
        release.Set();

        Assert.Equal("timed out after 00:00:03", terminal.Error);
        await time.Log.WhenLogged("LateResultIgnored").Guarded();
        Assert.Equal(terminal, time.Record(taskId));
    }

    [Fact]
    public async Task HeartbeatTimeout_NoSignOfLife_EndsFailedWithTheHeartbeatText()
    {
        await using var time = new VirtualTime();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var taskId = await time.SpawnAsync(new SpawnOptions { HeartbeatTimeout = TimeSpan.FromSeconds(2) }, async context =>
        {
            started.SetResult();
            await context.WhenCancelled();
            context.CancellationToken.ThrowIfCancellationRequested();
            return TaskResult.Success(0);
        });
        await started.Task.Guarded();

        time.Clock.Advance(TimeSpan.FromSeconds(2));
        var terminal = await time.WaitAsync(taskId);

        Assert.Equal(BackgroundTaskStatus.Failed, terminal.Status);
        Assert.Equal("heartbeat timed out after 00:00:02", terminal.Error);
    }

    [Fact]
    public async Task HeartbeatTimeout_KeptAliveByHeartbeatAndEmit_FiresOnlyAfterTheLastSignOfLife()
    {
        await using var time = new VirtualTime();
        var requests = new SemaphoreSlim(0);
        var done = new SemaphoreSlim(0);
        var started = new TaskCompletionSource<TaskContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var taskId = await time.SpawnAsync(new SpawnOptions { HeartbeatTimeout = TimeSpan.FromSeconds(2), Timeout = TimeSpan.FromMinutes(1) }, async context =>
        {
            started.SetResult(context);
            for (var i = 0; ; i++)
            {
                await requests.WaitAsync(context.CancellationToken);
                if (i % 2 == 0)
                {
                    context.Heartbeat();
                }
                else
                {
                    context.Emit("progress", ManagerFixture.Json("""{"step": 1}"""));
                }

                done.Release();
            }
        });
        var context = await started.Task.Guarded();

        // Each sign of life 1.5 s after the last: the 2 s heartbeat never passes, well beyond its first deadline.
        for (var i = 0; i < 4; i++)
        {
            time.Clock.Advance(TimeSpan.FromMilliseconds(1500));
            requests.Release();
            await done.WaitAsync().Guarded();
            Assert.False(context.IsCancellationRequested);
        }

        time.Clock.Advance(TimeSpan.FromSeconds(2) - s_tick);
        Assert.False(context.IsCancellationRequested);
        time.Clock.Advance(s_tick);
        var terminal = await time.WaitAsync(taskId);

        Assert.Equal("heartbeat timed out after 00:00:02", terminal.Error);
        Assert.Equal(2, time.Events.Of(taskId).Count(message => message is TaskEvent.Custom { EventType: "progress" }));
    }

    [Fact]
    public async Task Timeout_AgentBodies_GetTheAttemptToken()
    {
        await using var time = new VirtualTime();
        var options = new SpawnOptions { Timeout = TimeSpan.FromSeconds(1) };
        var bothStarted = new CountdownEvent(2);
        var withContext = await time.Manager.SpawnAgentWithContextAsync("t1", null, "agent", TaskParentContext.None, options, async context =>
        {
            bothStarted.Signal();
            await context.WhenCancelled();
            return context.IsCancellationRequested ? TaskResult.Cancelled : TaskResult.Success(1);
        });
        var raw = await time.Manager.SpawnAgentAsync("t1", null, "raw agent", TaskParentContext.None, options, async (token, _, _) =>
        {
            bothStarted.Signal();
            await Task.Delay(Timeout.Infinite, token);
            return TaskResult.Success(1);
        });

        // A body's deadline is queued just before the body is called.
        Assert.True(bothStarted.Wait(Hang.Guard));
        time.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("timed out after 00:00:01", (await time.WaitAsync(withContext)).Error);
        Assert.Equal("timed out after 00:00:01", (await time.WaitAsync(raw)).Error);
    }

    [Fact]
    public async Task Timeout_CancellingTheTask_ReachesTheAttemptTokenAndEndsCancelled()
    {
        await using var time = new VirtualTime();
        var started = new TaskCompletionSource<TaskContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var taskId = await time.SpawnAsync(new SpawnOptions { Timeout = TimeSpan.FromMinutes(1) }, async context =>
        {
            started.SetResult(context);
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return TaskResult.Success("unreachable");
        });
        var context = await started.Task.Guarded();

        Assert.True(await time.Manager.CancelAsync(taskId));
        var terminal = await time.WaitAsync(taskId);

        Assert.True(context.IsCancellationRequested);
        Assert.Equal(BackgroundTaskStatus.Cancelled, terminal.Status);
        Assert.Null(terminal.Error);
        Assert.Equal(0, time.Manager.PendingDeadlines);
    }

    [Fact]
    public async Task Timeout_WhileTheBodyIsStillDeliveringAnEvent_TheTerminalEventIsDeliveredBeforeWaitersWake()
    {
        await using var time = new VirtualTime();
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var gate = new ManualResetEventSlim();
        var inObserver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var blocking = time.Manager.Events.Subscribe(message =>
        {
            if (message is TaskEvent.Custom)
            {
                // The body's own thread delivers its event, and is held here while the task times out elsewhere.
                inObserver.SetResult();
                gate.Wait(Hang.Guard);
            }
            else
            {
                order.Enqueue("terminal event");
            }
        });
        var taskId = await time.SpawnAsync(new SpawnOptions { Timeout = TimeSpan.FromSeconds(1) }, context =>
        {
            context.Emit("progress", ManagerFixture.Json("{}"));
            return Task.FromResult(TaskResult.Success("late"));
        });
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = time.Store.Tasks.Watch(taskId).Subscribe(change =>
        {
            if (change.Current.Status.IsTerminal())
            {
                stored.TrySetResult();
            }
        });
        await inObserver.Task.Guarded();
        var waited = time.Manager.WaitAsync(taskId).ContinueWith(_ => order.Enqueue("waiter woke"), TaskScheduler.Default);

        time.Clock.Advance(TimeSpan.FromSeconds(1));
        await stored.Task.Guarded();
        gate.Set();
        await waited.Guarded();

        Assert.Equal(["terminal event", "waiter woke"], order);
    }

    [Fact]
    public async Task Timeout_BodyEndingFirst_KeepsItsOutcomeAndLeavesNoDeadlineBehind()
    {
        await using var time = new VirtualTime();
        var taskId = await time.SpawnAsync(new SpawnOptions { Timeout = TimeSpan.FromSeconds(1), HeartbeatTimeout = TimeSpan.FromSeconds(1) },
            _ => Task.FromResult(TaskResult.Success("fast")));

        var terminal = await time.WaitAsync(taskId);
        time.Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
        Assert.Equal(terminal, time.Record(taskId));
        Assert.Equal(0, time.Manager.PendingDeadlines);
    }
}
