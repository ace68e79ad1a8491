using Microsoft.Extensions.Hosting;

namespace BackgroundTasks.Demo.Cluster;

/// <summary>
/// The lifetime of each host of the demo's cluster: none of its own. A generic host's default console lifetime
/// takes over Ctrl+C and process exit (each of the four hosts would, and the process would then wait on them); with
/// this one, Ctrl+C ends the demo's process at once, as in the other modes, and the demo stops the hosts itself.
/// </summary>
internal sealed class ProcessLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
