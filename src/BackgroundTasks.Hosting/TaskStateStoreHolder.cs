using Microsoft.Extensions.Options;

namespace BackgroundTasks.Hosting;

/// <summary>Owns the hosted store: opened by the hosted service on start, disposed (flushed) by it on stop.</summary>
internal sealed class TaskStateStoreHolder(IOptions<BackgroundTasksOptions> options, IServiceProvider services)
{
    private TaskStateStore? _store;

    /// <summary>The open store.</summary>
    /// <exception cref="InvalidOperationException">The host has not started yet.</exception>
    public TaskStateStore Store => Volatile.Read(ref _store) ?? throw new InvalidOperationException(HostingMessages.StoreNotOpen);

    /// <summary>The open store, or null before the host starts.</summary>
    public TaskStateStore? OpenStore => Volatile.Read(ref _store);

    public BackgroundTasksOptions Options => options.Value;

    public async Task<TaskStateStore> OpenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _store) is { } open)
        {
            return open;
        }

        var store = await options.Value.OpenStoreAsync(services, cancellationToken).ConfigureAwait(false);
        if (Interlocked.CompareExchange(ref _store, store, null) is { } raced)
        {
            // Asynchronously: a durable store's synchronous Dispose blocks this thread on its flush.
            await store.DisposeAsync().ConfigureAwait(false);
            return raced;
        }

        return store;
    }

    /// <summary>Disposes the store; a durable store flushes what it has not written yet.</summary>
    public async ValueTask CloseAsync()
    {
        if (Volatile.Read(ref _store) is not { } store)
        {
            return;
        }

        await store.DisposeAsync().ConfigureAwait(false);
    }
}
