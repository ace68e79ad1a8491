using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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
    public async Task StopAsync_WhenATaskIgnoresCancellation_GivesUpAtTheShutdownTimeout()
    {
        using var host = TestHost.Build(builder => builder.Services.AddBackgroundTasks());
        await host.StartAsync().Guarded();
        var manager = host.Services.GetRequiredService<BackgroundTaskManager>();
        var store = host.Services.GetRequiredService<TaskStateStore>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stubborn = await manager.SpawnAsync("t1", "stubborn", null, "ignores cancellation", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            return TaskResult.Success("late");
        });

        // An already-cancelled token stands for a shutdown timeout that has elapsed.
        await host.StopAsync(new CancellationToken(canceled: true)).Guarded();

        Assert.Equal(BackgroundTaskStatus.Running, store.Lookup(stubborn)?.Status);
        var warning = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "StopTimedOut");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(stubborn, warning.Message, StringComparison.Ordinal);

        // The store is closed: the late ending cannot be recorded, but it still reaches waiters.
        gate.SetResult();
        Assert.Equal(BackgroundTaskStatus.Completed, (await manager.WaitAsync(stubborn).Guarded()).Status);
        Assert.Equal(BackgroundTaskStatus.Running, store.Lookup(stubborn)?.Status);
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
