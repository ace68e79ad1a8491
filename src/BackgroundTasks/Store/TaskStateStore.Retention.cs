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
    /// <see cref="TaskStateStoreOptions.MaxTerminalPerOwner"/> is held as terminal records arrive, so this mostly
    /// applies <see cref="TaskStateStoreOptions.RetainTerminalFor"/>. A store with a retention policy also prunes
    /// by itself every <see cref="TaskStateStoreOptions.PruneInterval"/> (on its time provider) and when it opens.
    /// Records leave in slices of a few thousand, so a large prune never holds writes up for long. A durable
    /// store prunes on its writer, after the writes queued before the call; records whose save is still pending
    /// are kept until it succeeds. A failed removal from the persistence is reported on
    /// <see cref="PersistenceFaults"/> and retried, like a failed save.
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
            return Task.FromResult(PruneInMemory());
        }

        return _writer.PruneAsync().WaitAsync(cancellationToken);
    }

    /// <summary>The ids the policy would prune now; read outside the cache's lock (a copy of its items).</summary>
    internal List<string> SelectPrunable(Func<string, bool>? isPinned) =>
        _retention is null ? [] : _retention.Select(_cache.Items, _timeProvider.GetUtcNow(), isPinned);

    /// <summary>Removes the given records from the cache, the indexes and the ledger, in one change set; adds the ids to <paramref name="removed"/>.</summary>
    /// <remarks>Only records that are still terminal and not pinned now, since they were chosen outside the lock.</remarks>
    internal void RemoveFromCache(List<string> selected, Func<string, bool>? isPinned, List<string> removed)
    {
        _cache.Edit(
            (selected, isPinned, removed, store: this),
            static (updater, state) =>
            {
                foreach (var taskId in state.selected)
                {
                    if (updater.Lookup(taskId) is { } record && record.Status.IsTerminal() && state.isPinned?.Invoke(taskId) != true)
                    {
                        updater.Remove(taskId);
                        state.store._index.Remove(record);
                        state.store._ledger?.Removed(record);
                        state.removed.Add(taskId);
                    }
                }
            });
    }

    /// <summary>Prunes a store in memory, one slice per change set, so spawns get the cache's lock between slices.</summary>
    /// <returns>How many records were removed.</returns>
    private int PruneInMemory()
    {
        var selected = SelectPrunable(isPinned: null);
        var removed = new List<string>(selected.Count);
        for (var start = 0; start < selected.Count; start += StoreWriter.PruneSlice)
        {
            RemoveFromCache(selected.GetRange(start, Math.Min(StoreWriter.PruneSlice, selected.Count - start)), isPinned: null, removed);
        }

        return removed.Count;
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
            PruneInMemory();
        }
        catch (Exception exception)
        {
            // A timer callback must not throw: it would take the process down. The cache is consistent.
            Trace.TraceWarning(Messages.PruneObserverThrew, exception);
        }
    }
}
