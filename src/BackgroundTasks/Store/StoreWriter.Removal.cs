namespace BackgroundTasks;

internal sealed partial class StoreWriter
{
    /// <summary>
    /// How many records one prune step removes from the cache, and one call deletes from the persistence.
    /// Between steps the loop saves what was queued meanwhile, so a prune of a million records never holds
    /// spawns up for longer than one slice.
    /// </summary>
    internal const int PruneSlice = 2048;

    // Loop only.
    private readonly List<TaskCompletionSource<int>> _pruneWaiters = [];
    private readonly Queue<string> _toPrune = new();
    private readonly HashSet<string> _queuedForPrune = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unremoved = new(StringComparer.Ordinal);
    private int _prunedForWaiters;
    private Exception? _pruneObserverFault;
    private bool _removalFailed;

    /// <summary>
    /// One step of retention: selects what a due prune removes, takes one slice of it out of the cache, deletes
    /// one slice of removed records from the persistence, and wakes the loop again while more is left.
    /// </summary>
    private async Task PruneStepAsync(bool pruneDue, bool retryDue)
    {
        if (pruneDue)
        {
            foreach (var taskId in _store.SelectPrunable(_unsaved.Count == 0 ? null : _unsaved.ContainsKey))
            {
                if (_queuedForPrune.Add(taskId))
                {
                    _toPrune.Enqueue(taskId);
                }
            }
        }

        if (_toPrune.Count > 0)
        {
            PruneSliceFromCache();
        }

        while (_evicted.TryDequeue(out var evicted))
        {
            _unremoved.Add(evicted);
        }

        if (retryDue)
        {
            _removalFailed = false;
        }

        if (_unremoved.Count > 0 && !_removalFailed)
        {
            await RemoveSliceAsync().ConfigureAwait(false);
        }

        if (_toPrune.Count == 0 && (_unremoved.Count == 0 || _removalFailed))
        {
            ReleasePruneWaiters();
        }
        else if (_toPrune.Count > 0 || !_removalFailed)
        {
            _queue.Writer.TryWrite(StoreWork.WakeUp);
        }
    }

    private void PruneSliceFromCache()
    {
        var slice = new List<string>(Math.Min(PruneSlice, _toPrune.Count));
        while (slice.Count < PruneSlice && _toPrune.TryDequeue(out var taskId))
        {
            _queuedForPrune.Remove(taskId);
            slice.Add(taskId);
        }

        var removed = new List<string>(slice.Count);
        try
        {
            // Records with a pending save stay until they are saved, so a removal never races with a retry.
            _store.RemoveFromCache(slice, _unsaved.Count == 0 ? null : _unsaved.ContainsKey, removed);
        }
        catch (Exception exception)
        {
            // An observer of the cache threw while the removal was delivered; the cache itself is consistent.
            _pruneObserverFault = exception;
        }

        _prunedForWaiters += removed.Count;
        _unremoved.UnionWith(removed);
    }

    private async Task RemoveSliceAsync()
    {
        if (_removal is null)
        {
            _unremoved.Clear();
            return;
        }

        string[] ids = [.. _unremoved.Take(PruneSlice)];
        try
        {
            await _removal.RemoveAsync(ids, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _removalFailed = true;
            string[] pending = [.. _unremoved];
            NoteFailure(exception, pending, Messages.RemoveFailed(pending, _failures + 1, exception.Message), isRemoval: true);
            return;
        }

        _unremoved.ExceptWith(ids);
        NoteSuccess();
    }

    private void ReleasePruneWaiters()
    {
        foreach (var waiter in _pruneWaiters)
        {
            if (_pruneObserverFault is null)
            {
                waiter.TrySetResult(_prunedForWaiters);
            }
            else
            {
                waiter.TrySetException(_pruneObserverFault);
            }
        }

        _pruneWaiters.Clear();
        _prunedForWaiters = 0;
        _pruneObserverFault = null;
    }

    /// <summary>After the loop and the publisher have stopped: the rest of a prune, then one try at every removal still owed.</summary>
    private async Task FinishRemovalsOnCloseAsync()
    {
        while (_toPrune.Count > 0)
        {
            PruneSliceFromCache();
        }

        while (_evicted.TryDequeue(out var evicted))
        {
            _unremoved.Add(evicted);
        }

        _removalFailed = false;
        while (_unremoved.Count > 0 && !_removalFailed)
        {
            await RemoveSliceAsync().ConfigureAwait(false);
        }

        ReleasePruneWaiters();
    }
}
