using System.Diagnostics;
using BackgroundTasks.Caching;

namespace BackgroundTasks;

public sealed partial class TaskStateStore
{
    /// <summary>
    /// Where exceptions thrown by <see cref="Tasks"/> observers during a write go. A manager bound to the store
    /// logs them; without one they go to the trace log.
    /// </summary>
    internal Action<Exception, string>? ObserverFault { get; set; }

    /// <summary>Writes one record (new or changed).</summary>
    /// <remarks>
    /// In memory: synchronous. Durable: a new record is saved first and enters the cache only once it is
    /// durable, and a failed save throws; a changed record enters the cache once it is saved, or once its first
    /// save has failed (then it is reported and retried in the background), and the returned task completes
    /// when it is in the cache. Never before: an observer never sees a change that a crash could take back
    /// unless its save failure was reported. Either way a non-terminal record never replaces a terminal one of
    /// the same task (see TaskStateStore.Inserts.cs): such a write lost a race with the task's end, and is dropped.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    internal ValueTask WriteAsync(TaskSummary summary)
    {
        ThrowIfDisposed();
        if (_writer is null)
        {
            AddOrUpdateCore(summary);
            return ValueTask.CompletedTask;
        }

        // Only a spawn writes a record the cache does not have yet (or the end of a task abandoned while that
        // was saving); every later write of it is a change.
        return _cache.Lookup(summary.TaskId) is { } current
            ? WriteChangeAsync(current, summary)
            : InsertDurablyAsync(summary);
    }

    /// <summary>Adds the records whose ids the store does not have, in one change set; returns those added.</summary>
    /// <remarks>Durable: they are saved after they enter the cache (a restore brings back records that were saved elsewhere).</remarks>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    internal ValueTask<IReadOnlyList<TaskSummary>> AddMissingAsync(IReadOnlyList<TaskSummary> candidates)
    {
        ThrowIfDisposed();
        var added = new List<TaskSummary>(candidates.Count);
        var evicted = new List<string>();
        _cache.Edit(
            (candidates, added, evicted, store: this),
            static (updater, state) =>
            {
                foreach (var summary in state.candidates)
                {
                    if (updater.Lookup(summary.TaskId) is null)
                    {
                        state.store.Put(updater, summary, previous: null);
                        state.added.Add(summary);
                    }
                }

                state.store.EvictOverCap(updater, state.added, isPinned: null, state.evicted);
            });

        if (_writer is null || added.Count == 0)
        {
            return new ValueTask<IReadOnlyList<TaskSummary>>(added);
        }

        if (evicted.Count > 0)
        {
            _writer.Forget(evicted);
        }

        return SaveAddedAsync(_writer, added);

        static async ValueTask<IReadOnlyList<TaskSummary>> SaveAddedAsync(StoreWriter writer, List<TaskSummary> added)
        {
            await writer.UpdateAsync(added).ConfigureAwait(false);
            return added;
        }
    }

    /// <summary>
    /// Applies records the writer has saved (or failed to save once) to the cache, in order, as one change set,
    /// and holds the per-owner cap; returns the ids it evicted, which the writer deletes from the persistence.
    /// </summary>
    /// <remarks>
    /// A record no longer in the cache (pruned meanwhile) is not brought back; one already there as is, is not
    /// re-published; a non-terminal one does not replace a terminal one.
    /// </remarks>
    internal List<string> ApplySaved(List<TaskSummary> records, HashSet<string>? pinned)
    {
        var evicted = new List<string>();
        _cache.Edit(
            (records, evicted, pinned, store: this),
            static (updater, state) =>
            {
                foreach (var summary in state.records)
                {
                    if (updater.Lookup(summary.TaskId) is { } current && !ReferenceEquals(current, summary) && !Reopens(current, summary))
                    {
                        state.store.Put(updater, summary, current);
                    }
                }

                state.store.EvictOverCap(updater, state.records, state.pinned is null ? null : state.pinned.Contains, state.evicted);
            });

        return evicted;
    }

    /// <summary>Fills the cache and the indexes of a store that was just opened, in one change set.</summary>
    private void Load(List<TaskSummary> records)
    {
        _cache.Edit(
            (records, store: this),
            static (updater, state) =>
            {
                foreach (var summary in state.records)
                {
                    state.store.Put(updater, summary, previous: null);
                }
            });
    }

    private void AddOrUpdateCore(TaskSummary summary)
    {
        if (_ledger is null || !summary.Status.IsTerminal())
        {
            // The hot path (every spawn, every end without a cap): nothing to evict, nothing to allocate.
            _cache.Edit(
                (summary, store: this),
                static (updater, state) => state.store.Exchange(updater, state.summary));
            return;
        }

        var evicted = new List<string>();
        _cache.Edit(
            (summary, evicted, store: this),
            static (updater, state) =>
            {
                state.store.Exchange(updater, state.summary);
                state.store._ledger!.Evict(state.summary.OwnerThreadId, updater, state.store._index, isPinned: null, state.evicted);
            });

        if (evicted.Count > 0)
        {
            _writer?.Forget(evicted);
        }
    }

    /// <summary>Adds or replaces a record in the cache, the indexes and the ledger of terminal records. Inside an edit.</summary>
    private void Put(ISourceUpdater<TaskSummary, string> updater, TaskSummary summary, TaskSummary? previous)
    {
        updater.AddOrUpdate(summary);
        if (previous is null)
        {
            _index.Add(summary);
        }

        _ledger?.Added(summary, previous);
    }

    // Made once: the check the cache runs on every write's exchange (a terminal record stays over a non-terminal one).
    private static readonly Func<TaskSummary, TaskSummary, bool> s_reopens = Reopens;

    /// <summary>
    /// <see cref="Put"/> of a record whose previous version is whatever the cache holds: the cache's lookup, the check
    /// that a non-terminal record does not replace a terminal one, and the write are one hash probe (every spawn and
    /// every end come here, under the cache's lock). Inside an edit.
    /// </summary>
    private void Exchange(ISourceUpdater<TaskSummary, string> updater, TaskSummary summary)
    {
        // An end is final (see TaskStateStore.Inserts.cs): the cache keeps a terminal record over a non-terminal one,
        // in the same probe as the write.
        var previous = ((SourceUpdater<TaskSummary, string>)updater).Exchange(summary, s_reopens, out var exchanged);
        if (!exchanged)
        {
            return;
        }

        if (previous is null)
        {
            _index.Add(summary);
        }

        _ledger?.Added(summary, previous);
    }

    /// <summary>
    /// Holds <see cref="TaskStateStoreOptions.MaxTerminalPerOwner"/> for the owners of the terminal records just
    /// written: their oldest terminal records leave in the same change set. Inside an edit.
    /// </summary>
    private void EvictOverCap(ISourceUpdater<TaskSummary, string> updater, IReadOnlyList<TaskSummary> written,
        Func<string, bool>? isPinned, List<string> evicted)
    {
        if (_ledger is null)
        {
            return;
        }

        string? lastOwner = null;
        foreach (var summary in written)
        {
            // Consecutive records of one owner (a burst, a restore) need one check.
            if (summary.Status.IsTerminal() && !string.Equals(summary.OwnerThreadId, lastOwner, StringComparison.Ordinal))
            {
                lastOwner = summary.OwnerThreadId;
                _ledger.Evict(lastOwner, updater, _index, isPinned, evicted);
            }
        }
    }

    /// <summary>
    /// An observer that throws while a change is delivered must not turn a write that happened into a failed
    /// one (a spawn would be abandoned with its record in the store, a task's end would look lost), so the
    /// cache hands such exceptions here and the write stands.
    /// </summary>
    private void ReportObserverFault(Exception exception)
    {
        if (ObserverFault is { } report)
        {
            report(exception, "store observer");
        }
        else
        {
            Trace.TraceWarning("BackgroundTasks: an observer of the task store threw: {0}", exception);
        }
    }
}
