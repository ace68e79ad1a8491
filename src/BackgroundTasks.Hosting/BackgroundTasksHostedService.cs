using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackgroundTasks.Hosting;

/// <summary>
/// Ties the store and the manager to the host's lifetime: opens (and so restores) the store before any
/// hosted service starts, and on stop cancels every live task, waits for them up to the host's shutdown
/// timeout, then disposes the store, which flushes a durable one.
/// </summary>
internal sealed class BackgroundTasksHostedService(
    TaskStateStoreHolder holder, BackgroundTaskManager manager, ILogger<BackgroundTasksHostedService> logger) : IHostedLifecycleService
{
    /// <summary>Opens the store in <see cref="StartingAsync"/>, so hosted services may spawn from their own StartAsync.</summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var store = await holder.OpenAsync(cancellationToken).ConfigureAwait(false);
        manager.SetStore(store);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var records = store.Tasks.Items;
            var orphans = store.OrphanedOnOpen.Count;
            var kind = holder.Options.StoreFactory is null ? holder.Options.Store.ToString() : "custom";
            HostingLog.StoreOpened(logger, kind, records.Count, orphans);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Cancels every live task and waits for them until <paramref name="cancellationToken"/> (the host's
    /// shutdown timeout) fires; then closes the store either way, so a task that ignores cancellation
    /// cannot hold the process, and stays Running in a durable store for the next start to orphan.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var live = RunningTaskIds();
        HostingLog.StoppingTasks(logger, live.Count);

        try
        {
            await manager.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var running = RunningTaskIds();
            var ids = string.Join(", ", running);
            HostingLog.StopTimedOut(logger, running.Count, ids);
        }

        await holder.CloseAsync().ConfigureAwait(false);
        HostingLog.StoreClosed(logger);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private List<string> RunningTaskIds() =>
        holder.OpenStore is { } store
            ? [.. store.Tasks.Items.Where(summary => summary.Status == BackgroundTaskStatus.Running).Select(summary => summary.TaskId).Order(StringComparer.Ordinal)]
            : [];
}
