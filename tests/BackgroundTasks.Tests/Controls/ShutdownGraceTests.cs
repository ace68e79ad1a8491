using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Controls;

public sealed class ShutdownGraceTests
{
    [Fact]
    public async Task DisposeAsync_BodyThatNeverEnds_ReturnsAfterTheShutdownGraceWithEveryRecordTerminal()
    {
        var time = new VirtualTime(shutdownGrace: TimeSpan.FromSeconds(10));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = await time.SpawnAsync(SpawnOptions.Default, async _ =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return TaskResult.Success("never");
        });
        var polite = await time.Fixture.SpawnWaitingAsync();
        var retrying = await time.SpawnAsync(new SpawnOptions { Retry = new RetryPolicy { Delay = TimeSpan.FromHours(1) } },
            _ => Task.FromResult(TaskResult.Failed("down")));
        await started.Task.Guarded();
        await time.Events.NextCustomAsync("retrying");

        var disposing = time.Manager.DisposeAsync().AsTask();
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await time.Manager.WaitAsync(polite).Guarded()).Status);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await time.Manager.WaitAsync(retrying).Guarded()).Status);
        time.Clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(disposing.IsCompleted);
        time.Clock.Advance(TimeSpan.FromTicks(1));
        await disposing.Guarded();

        var record = time.Record(stuck);
        Assert.Equal(BackgroundTaskStatus.Cancelled, record.Status);
        Assert.Equal("abandoned: did not stop within 00:00:10 of cancellation", record.Error);
        Assert.All(time.Store.Tasks.Items, summary => Assert.True(summary.Status.IsTerminal()));
        await time.DisposeAsync();
    }

    [Fact]
    public async Task DisposeAsync_ZeroGrace_AbandonsAtOnce()
    {
        var time = new VirtualTime(shutdownGrace: TimeSpan.Zero);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = await time.SpawnAsync(SpawnOptions.Default, async _ =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return TaskResult.Success("never");
        });
        await started.Task.Guarded();

        await time.Manager.DisposeAsync().AsTask().Guarded();

        Assert.Equal("abandoned: did not stop within 00:00:00 of cancellation", time.Record(stuck).Error);
        await time.DisposeAsync();
    }

    [Fact]
    public async Task DisposeAsync_BodiesThatStop_NeedNoTimeToPass()
    {
        await using var time = new VirtualTime(shutdownGrace: TimeSpan.FromMinutes(1));
        var taskId = await time.Fixture.SpawnWaitingAsync();

        await time.Manager.DisposeAsync().AsTask().Guarded();

        var record = time.Record(taskId);
        Assert.Equal(BackgroundTaskStatus.Cancelled, record.Status);
        Assert.Null(record.Error);
    }
}
