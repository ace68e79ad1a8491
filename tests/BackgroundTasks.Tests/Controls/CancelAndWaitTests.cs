using BackgroundTasks.Tests.Telemetry;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.Tests.Controls;

public sealed class CancelAndWaitTests
{
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task CancelAndWaitAsync_BodyStoppingInTime_ReturnsItsCancelledRecord()
    {
        await using var time = new VirtualTime();
        var taskId = await time.Fixture.SpawnWaitingAsync();

        var terminal = await time.Manager.CancelAndWaitAsync(taskId, s_grace).Guarded();

        Assert.NotNull(terminal);
        Assert.Equal(BackgroundTaskStatus.Cancelled, terminal.Status);
        Assert.Null(terminal.Error);
        Assert.Equal(terminal, time.Record(taskId));
    }

    [Fact]
    public async Task CancelAndWaitAsync_BodyIgnoringCancellation_IsAbandonedAfterTheGrace()
    {
        using var meters = new TestMeterFactory();
        var clock = new FakeTimeProvider();
        var log = new AwaitingLogger();
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions
        {
            TimeProvider = clock, Logger = log, MeterFactory = meters, ShutdownGrace = TimeSpan.Zero,
        });
        using var events = new EventRecorder(fixture.Manager);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        InboxReceiver? inbox = null;
        var taskId = await fixture.Manager.SpawnAgentWithContextAsync("t1", "stubborn", "ignores its token", TaskParentContext.None, async context =>
        {
            inbox = context.Inbox;
            started.SetResult();
            await release.Task;
            return TaskResult.Success("too late");
        });
        await started.Task.Guarded();
        using var measurements = MeasurementRecorder.For(Assert.Single(meters.Meters));

        var stopping = fixture.Manager.CancelAndWaitAsync(taskId, s_grace);
        clock.Advance(s_grace - TimeSpan.FromTicks(1));
        Assert.False(stopping.IsCompleted);
        clock.Advance(TimeSpan.FromTicks(1));
        var terminal = await stopping.Guarded();

        Assert.NotNull(terminal);
        Assert.Equal(BackgroundTaskStatus.Cancelled, terminal.Status);
        Assert.Equal("abandoned: did not stop within 00:00:05 of cancellation", terminal.Error);
        Assert.Equal(clock.GetUtcNow(), terminal.CompletedAt);
        Assert.Equal(terminal, fixture.Store.Lookup(taskId));
        Assert.IsType<TaskEvent.Cancelled>(Assert.Single(events.Of(taskId)));
        Assert.False(await fixture.Manager.HasRunningAsync("t1"));
        Assert.Null(await inbox!.ReceiveAsync().Guarded());
        Assert.NotNull(await fixture.Manager.SpawnAgentAsync("t1", "stubborn", "the name is free again", TaskParentContext.None,
            (_, _, _) => Task.FromResult(TaskResult.Success(1))));
        var abandoned = Assert.Single(log.Named("TaskAbandoned"));
        Assert.Equal(LogLevel.Warning, abandoned.Level);
        Assert.Contains(taskId, abandoned.Message, StringComparison.Ordinal);
        var ended = Assert.Single(measurements.Of(BackgroundTaskTelemetry.TasksEnded), m => m.Tag(BackgroundTaskTelemetry.TaskStatusTag) == "cancelled");
        Assert.Contains(ended.Tags, tag => tag.Key == BackgroundTaskTelemetry.AbandonedTag && tag.Value is true);

        release.SetResult();
        var late = await log.WhenLogged("LateResultIgnored").Guarded();

        Assert.Contains(taskId, late, StringComparison.Ordinal);
        Assert.Equal(terminal, fixture.Store.Lookup(taskId));
        Assert.Single(events.Of(taskId));
    }

    [Fact]
    public async Task CancelAndWaitAsync_LateResultRacingTheAbandonment_TheRecordEndsOnceAndNeverChangesAgain()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { ShutdownGrace = TimeSpan.Zero });
        using var ledger = new TerminalLedger(fixture.Store);

        const int Rounds = 80;
        var outcomes = new List<TaskSummary?>();
        for (var round = 0; round < Rounds; round++)
        {
            // Continuations inline: SetResult runs the body's end on the racing thread itself.
            var release = new TaskCompletionSource();
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var taskId = await fixture.Manager.SpawnAsync("t1", "race", null, "races its abandonment", TaskParentContext.None, async _ =>
            {
                started.SetResult();
                await release.Task;
                return TaskResult.Success("late or not");
            });
            await started.Task.Guarded();

            using var go = new Barrier(2);
            var spin = round % 20 * 8000;
            var racer = Task.Run(() =>
            {
                go.SignalAndWait();

                // A different head start each round, so both sides win some rounds.
                Thread.SpinWait(spin);
                release.SetResult();
            });
            var stopping = Task.Run(() =>
            {
                go.SignalAndWait();
                return fixture.Manager.CancelAndWaitAsync(taskId, TimeSpan.Zero);
            });
            outcomes.Add(await stopping.Guarded());
            await racer.Guarded();
        }

        // Whichever wins (the body's result or the abandonment; here each wins about half the rounds), each task has
        // one terminal write and none after it.
        await fixture.Manager.DisposeAsync();
        Assert.All(outcomes, outcome => Assert.True(outcome!.Status.IsTerminal()));
        Assert.Equal(Rounds, ledger.TerminalWrites.Count);
        Assert.All(ledger.TerminalWrites.Values, count => Assert.Equal(1, count));
        Assert.Equal(0, ledger.WritesAfterEnd);
        Assert.All(outcomes, outcome => Assert.Equal(outcome, fixture.Store.Lookup(outcome!.TaskId)));
    }

    [Fact]
    public async Task CancelAndWaitAsync_UnknownOrTerminalTask_ReturnsAtOnce()
    {
        await using var time = new VirtualTime();
        var done = await time.SpawnAsync(SpawnOptions.Default, _ => Task.FromResult(TaskResult.Success(1)));
        var terminal = await time.WaitAsync(done);

        Assert.Null(await time.Manager.CancelAndWaitAsync("bg_404", s_grace));
        Assert.Equal(terminal, await time.Manager.CancelAndWaitAsync(done, s_grace));
    }

    [Fact]
    public async Task CancelAndWaitAsync_InfiniteGrace_WaitsForTheBody()
    {
        await using var time = new VirtualTime();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var taskId = await time.Fixture.SpawnGatedAsync(release.Task);

        var stopping = time.Manager.CancelAndWaitAsync(taskId, Timeout.InfiniteTimeSpan);
        time.Clock.Advance(TimeSpan.FromDays(365));
        Assert.False(stopping.IsCompleted);
        release.SetResult();

        Assert.Equal(BackgroundTaskStatus.Completed, (await stopping.Guarded())!.Status);
    }

    [Fact]
    public async Task CancelAndWaitAsync_TokenCancelled_StopsWaitingButLeavesTheTaskSignalled()
    {
        await using var time = new VirtualTime();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var taskId = await time.Fixture.SpawnGatedAsync(release.Task);
        using var stop = new CancellationTokenSource();

        var stopping = time.Manager.CancelAndWaitAsync(taskId, s_grace, stop.Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopping.Guarded());
        Assert.Equal(BackgroundTaskStatus.Running, time.Record(taskId).Status);
        release.SetResult();
        Assert.Equal(BackgroundTaskStatus.Completed, (await time.WaitAsync(taskId)).Status);
    }

    [Fact]
    public async Task CancelAndWaitAsync_BadArguments_Throw()
    {
        await using var time = new VirtualTime();

        await Assert.ThrowsAsync<ArgumentNullException>("taskId", () => time.Manager.CancelAndWaitAsync(null!, s_grace));
        var negative = await Assert.ThrowsAsync<ArgumentOutOfRangeException>("grace",
            () => time.Manager.CancelAndWaitAsync("bg_0", TimeSpan.FromMilliseconds(-2)));
        Assert.Contains("must not be negative", negative.Message, StringComparison.Ordinal);
    }
}
