using System.Diagnostics.Metrics;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static BackgroundTasks.BackgroundTaskTelemetry;

namespace BackgroundTasks.Tests.Telemetry;

public sealed class TaskMetricsTests
{
    [Fact]
    public async Task SpawnAndEnd_CountByTypeAndStatus_AndLiveGoesBackToZero()
    {
        using var meters = new TestMeterFactory();
        var clock = new FakeTimeProvider();
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { MeterFactory = meters, TimeProvider = clock });
        using var recorder = MeasurementRecorder.For(Assert.Single(meters.Meters));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var completed = await fixture.SpawnGatedAsync(gate.Task);
        var failed = await fixture.Manager.SpawnAsync("t1", "fetch", null, "fails", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            return TaskResult.Failed("503");
        });
        var cancelled = await fixture.SpawnWaitingAsync();
        Assert.Equal(3, recorder.Sum(TasksLive));
        Assert.Equal(1, recorder.Sum(TasksSpawned, (TaskTypeTag, "fetch")));
        Assert.Equal(3, recorder.Sum(TasksSpawned));

        clock.Advance(TimeSpan.FromSeconds(2));
        gate.SetResult();
        await fixture.Manager.CancelAsync(cancelled);
        foreach (var id in new[] { completed, failed, cancelled })
        {
            await fixture.Manager.WaitAsync(id).Guarded();
        }

        Assert.Equal(0, recorder.Sum(TasksLive));
        Assert.Equal(1, recorder.Sum(TasksEnded, (TaskTypeTag, "gated"), (TaskStatusTag, "completed")));
        Assert.Equal(1, recorder.Sum(TasksEnded, (TaskTypeTag, "fetch"), (TaskStatusTag, "failed")));
        Assert.Equal(1, recorder.Sum(TasksEnded, (TaskTypeTag, "wait"), (TaskStatusTag, "cancelled")));
        var duration = Assert.Single(recorder.Of(TaskDuration), m => m.Tag(TaskStatusTag) == "completed");
        Assert.Equal(2.0, duration.Value);
        Assert.Equal("gated", duration.Tag(TaskTypeTag));
    }

    [Fact]
    public async Task SendTaskInboxMessage_CountsDeliveredMessagesOnly()
    {
        using var meters = new TestMeterFactory();
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { MeterFactory = meters });
        using var recorder = MeasurementRecorder.For(Assert.Single(meters.Meters));
        var agent = await fixture.Manager.SpawnAgentWithContextAsync("t1", null, "listens", TaskParentContext.None, async context =>
        {
            await context.Inbox.ReceiveAsync(context.CancellationToken);
            await context.Inbox.ReceiveAsync(context.CancellationToken);
            return TaskResult.Success("heard");
        });

        await fixture.Manager.SendTaskInboxMessageAsync(agent, "t1", "lead", "one");
        await Assert.ThrowsAsync<SendException>(() => fixture.Manager.SendTaskInboxMessageAsync(agent, "t2", "lead", "not yours"));
        await fixture.Manager.SendTaskInboxMessageAsync(agent, "t1", "lead", "two");
        await fixture.Manager.WaitAsync(agent).Guarded();

        Assert.Equal(2, recorder.Sum(InboxMessagesSent));
    }

    [Fact]
    public async Task StoreWritesThatFail_CountAsPersistenceFaults()
    {
        using var meters = new TestMeterFactory();
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { MeterFactory = meters });
        using var recorder = MeasurementRecorder.For(Assert.Single(meters.Meters));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = await fixture.SpawnGatedAsync(gate.Task);

        fixture.Store.Dispose();
        var refused = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnGatedAsync(gate.Task));
        gate.SetResult();
        await fixture.Manager.WaitAsync(running).Guarded();

        Assert.Equal(SpawnError.State, refused.Error);
        Assert.Equal(1, recorder.Sum(PersistenceFaults, (OperationTag, "spawn")));
        Assert.Equal(1, recorder.Sum(PersistenceFaults, (OperationTag, "end")));
    }

    [Fact]
    public async Task WithoutAMeterFactory_ReportsToTheProcessWideMeter()
    {
        // The shared meter also sees every other test's managers, so this test keeps only its own task type.
        var taskType = "metrics-" + Guid.NewGuid().ToString("N");
        using var recorder = new MeasurementRecorder(
            instrument => instrument.Meter.Name == MeterName && instrument.Meter.Scope is null,
            measurement => measurement.Tag(TaskTypeTag) == taskType);
        await using var fixture = new ManagerFixture();

        var id = await fixture.Manager.SpawnAsync("t1", taskType, null, "done at once", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Success(1)));
        await fixture.Manager.WaitAsync(id).Guarded();

        Assert.Equal(1, recorder.Sum(TasksSpawned));
        Assert.Equal(1, recorder.Sum(TasksEnded, (TaskStatusTag, "completed")));
        Assert.Equal(0, recorder.Sum(TasksLive));
        Assert.Single(recorder.Of(TaskDuration));
    }

    [Fact]
    public void Instruments_AreNamedAsDocumented()
    {
        using var meters = new TestMeterFactory();
        _ = new BackgroundTaskManager(new BackgroundTaskManagerOptions { MeterFactory = meters });
        var published = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Scope == meters)
                {
                    published.Add(instrument.Name);
                }
            },
        };
        listener.Start();

        Assert.Equal(MeterName, Assert.Single(meters.Meters).Name);
        Assert.Equal(
            new[] { InboxMessagesSent, PersistenceFaults, TaskDuration, TasksEnded, TasksLive, TasksSpawned }.Order(),
            published.Order());
    }
}
