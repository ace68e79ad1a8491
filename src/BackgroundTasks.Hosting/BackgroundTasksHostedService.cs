using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackgroundTasks.Hosting;

/// <summary>
/// Ties the store and the manager to the host's lifetime: opens (and so restores) the store before any
/// hosted service starts, and on stop cancels every live task, waits for them within the host's shutdown
/// timeout, then disposes the store, which flushes a durable one.
/// </summary>
/// <remarks>
/// The container disposes this service before the manager and the store it depends on (it disposes in reverse
/// order of creation), so a host disposed without being stopped still stops the tasks and flushes the store.
/// </remarks>
internal sealed class BackgroundTasksHostedService(
    TaskStateStoreHolder holder, BackgroundTaskManager manager, ILogger<BackgroundTasksHostedService> logger)
    : IHostedLifecycleService, IAsyncDisposable
{
    private Task? _stop;

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
    /// Disposes the manager, which cancels every live task, waits up to its
    /// <see cref="BackgroundTaskManagerOptions.ShutdownGrace"/> (cut from the host's shutdown timeout) and abandons
    /// the bodies that did not stop; then closes the store. Whatever the bodies do, it waits for them no longer than
    /// until <paramref name="cancellationToken"/> (the host's shutdown timeout) fires: the tasks still live then are
    /// abandoned at once, and only the store's flush is left.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _stop, stop.Task, null) is { } first)
        {
            return first.WaitAsync(cancellationToken);
        }

        return StopCoreAsync(stop, cancellationToken);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stops as <see cref="StopAsync"/> does if the host was started but never stopped, with no deadline but the
    /// manager's grace; otherwise does nothing (what the stop reported, it reported to the host).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (holder.OpenStore is null || Volatile.Read(ref _stop) is not null)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task StopCoreAsync(TaskCompletionSource stop, CancellationToken cancellationToken)
    {
        try
        {
            var started = manager.TimeProvider.GetTimestamp();
            var live = LiveTaskCount();
            HostingLog.StoppingTasks(logger, live, manager.ShutdownGrace);
            try
            {
                await manager.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The host's time ran out before the manager's grace did (a manager registered with a longer grace, or
                // hosted services stopped before this one used up the timeout). Abandon the rest now: their Cancelled
                // records must be written before the store closes, or the closed store would refuse them later.
                var left = LiveTaskCount();
                HostingLog.StopTimedOut(logger, left);
                await manager.AbandonLiveAsync(manager.TimeProvider.GetElapsedTime(started)).ConfigureAwait(false);
            }

            await holder.CloseAsync().ConfigureAwait(false);
            HostingLog.StoreClosed(logger);
            stop.TrySetResult();
        }
        catch (Exception exception)
        {
            stop.TrySetException(exception);
            throw;
        }
    }

    private int LiveTaskCount() =>
        holder.OpenStore is { IsDisposed: false } store ? store.Tasks.Items.Count(summary => !summary.Status.IsTerminal()) : 0;
}
