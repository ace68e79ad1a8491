using BackgroundTasks;
using Microsoft.Extensions.Hosting;

namespace BackgroundTasks.HostingShutdownHost;

/// <summary>Spawns, when the host starts, one task whose body ignores its cancellation token and never ends.</summary>
internal sealed class StubbornTaskSpawner(BackgroundTaskManager manager) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        await manager.SpawnAsync("t1", "stubborn", null, "ignores cancellation", TaskParentContext.None, async context =>
        {
            Console.WriteLine("started " + context.TaskId);
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return TaskResult.Success("never");
        });

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
