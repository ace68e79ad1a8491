using System.Diagnostics;

namespace BackgroundTasks;

public sealed partial class TaskStateStore
{
    /// <summary>
    /// Removes the terminal records the retention policy no longer keeps, from the cache, the indexes and the
    /// persistence. Running records are never removed.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the prune; a prune already queued still runs.</param>
    /// <returns>How many records left the cache; 0 when the store has no retention policy.</returns>
    /// <remarks>
    /// A store with a retention policy also prunes by itself every <see cref="TaskStateStoreOptions.PruneInterval"/>
    /// (on its time provider) and when it opens. A durable store prunes on its writer, after the writes queued
    /// before the call; records whose save is still pending are kept until it succeeds. A failed removal from
    /// the persistence is reported on <see cref="PersistenceFaults"/> and retried, like a failed save.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (_retention is null)
        {
            return Task.FromResult(0);
        }

        if (_writer is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(PruneCache(isPinned: null, removed: null));
        }

        return _writer.PruneAsync().WaitAsync(cancellationToken);
    }

    /// <summary>Removes what the policy selects from the cache and the indexes, in one change set; adds the ids to <paramref name="removed"/>.</summary>
    /// <returns>How many records were removed.</returns>
    internal int PruneCache(Func<string, bool>? isPinned, List<string>? removed)
    {
        if (_retention is null)
        {
            return 0;
        }

        var selected = _retention.Select(_cache.Items, _timeProvider.GetUtcNow(), isPinned);
        if (selected.Count == 0)
        {
            return 0;
        }

        removed ??= new List<string>(selected.Count);
        var before = removed.Count;
        _cache.Edit(
            (selected, removed, _index),
            static (updater, state) =>
            {
                foreach (var taskId in state.selected)
                {
                    // Chosen outside the lock: make sure it is still a terminal record.
                    if (updater.Lookup(taskId) is { } record && record.Status.IsTerminal())
                    {
                        updater.Remove(taskId);
                        state._index.Remove(record);
                        state.removed.Add(taskId);
                    }
                }
            });

        return removed.Count - before;
    }

    private void PruneOnTimer()
    {
        if (IsDisposed)
        {
            return;
        }

        if (_writer is not null)
        {
            _writer.RequestPrune();
            return;
        }

        try
        {
            PruneCache(isPinned: null, removed: null);
        }
        catch (Exception exception)
        {
            // A timer callback must not throw: it would take the process down. The cache is consistent.
            Trace.TraceWarning(Messages.PruneObserverThrew, exception);
        }
    }
}
