using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.Hosting.Tests;

public sealed class HostedServiceLifetimeTests
{
    [Fact]
    public async Task StopAsync_CancelsEveryLiveTask_AndTheirTerminalRecordsAreInTheStore()
    {
        using var host = TestHost.Build(builder => builder.Services.AddBackgroundTasks());
        await host.StartAsync().Guarded();
        var manager = host.Services.GetRequiredService<BackgroundTaskManager>();
        var store = host.Services.GetRequiredService<TaskStateStore>();
        var childSpawned = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = await manager.SpawnAsync("t1", "parent", null, "spawns a child", TaskParentContext.None, async context =>
        {
            childSpawned.SetResult(await manager.SpawnWaitingAsync("t1"));
            await context.WhenCancelled();
            return TaskResult.Cancelled;
        });
        var other = await manager.SpawnWaitingAsync("t2");
        var child = await childSpawned.Task.Guarded();

        await host.StopAsync().Guarded();

        foreach (var id in new[] { parent, child, other })
        {
            Assert.Equal(BackgroundTaskStatus.Cancelled, store.Lookup(id)?.Status);
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => manager.SpawnWaitingAsync());
        var logs = host.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Id.Name == "StoppingTasks" && r.Message.Contains("3 live task(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopAsync_WhenTheHostsTimeoutRunsOutFirst_AbandonsTheRestBeforeClosingTheStore_AndLogsOneLineEach()
    {
        // The manager's clock never moves, so its own grace never passes: only the host's token ends the wait.
        var host = TestHost.Build(builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider());
            builder.Services.AddBackgroundTasks();
        });
        await host.StartAsync().Guarded();
        var manager = host.Services.GetRequiredService<BackgroundTaskManager>();
        var store = host.Services.GetRequiredService<TaskStateStore>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stubborn = await manager.SpawnAsync("t1", "stubborn", null, "ignores cancellation", TaskParentContext.None, async _ =>
        {
            started.SetResult();
            await gate.Task;
            return TaskResult.Success("late");
        });

        // The body must be running when the host stops: a task abandoned before its body starts never runs it, so it
        // would have no late result to ignore.
        await started.Task.Guarded();

        // An already-cancelled token stands for a shutdown timeout that has elapsed.
        await host.StopAsync(new CancellationToken(canceled: true)).Guarded();

        var record = store.Lookup(stubborn);
        Assert.Equal((BackgroundTaskStatus.Cancelled, "abandoned: did not stop within 00:00:00 of cancellation"), (record?.Status, record?.Error));
        Assert.Equal(LogLevel.Warning, Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "StopTimedOut").Level);

        // The late ending changes nothing and is logged once, as ignored: not as a store fault plus a completion.
        gate.SetResult();
        await host.Services.GetFakeLogCollector().WaitForLogAsync("LateResultIgnored");
        Assert.Equal(record, (await manager.WaitAsync(stubborn).Guarded()));
        var ends = host.Services.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Message.Contains(stubborn, StringComparison.Ordinal) && r.Id.Name != "TaskSpawned" && r.Id.Name != "CancellationRequested")
            .Select(r => r.Id.Name);
        Assert.Equal(["TaskAbandoned", "LateResultIgnored"], ends);

        // Nothing is left for the container to wait for (the manager's own grace would never pass).
        await Task.Run(host.Dispose).Guarded();
    }

    [Fact]
    public async Task StopAsync_BeforeAnyTask_ClosesCleanly()
    {
        using var host = TestHost.Build(builder => builder.Services.AddBackgroundTasks());
        await host.StartAsync().Guarded();

        await host.StopAsync().Guarded();

        Assert.Contains(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "StoreClosed");
    }
}
