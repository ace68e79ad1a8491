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
    /// durable, and a failed save throws; a changed record enters the cache at once, and the returned task
    /// completes once it is durable or its first save has failed (it is then retried in the background).
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

        // Only a spawn writes a record the cache does not have yet; every later write of it is a change.
        if (_cache.Lookup(summary.TaskId) is null)
        {
            return InsertDurablyAsync(summary);
        }

        AddOrUpdateCore(summary);
        return new ValueTask(_writer.UpdateAsync(summary));
    }

    /// <summary>Adds the records whose ids the store does not have, in one change set; returns those added.</summary>
    /// <remarks>Durable: they are saved after they enter the cache, as changed records are.</remarks>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    internal ValueTask<IReadOnlyList<TaskSummary>> AddMissingAsync(IReadOnlyList<TaskSummary> candidates)
    {
        ThrowIfDisposed();
        var added = new List<TaskSummary>(candidates.Count);
        _cache.Edit(
            (candidates, added, _index),
            static (updater, state) =>
            {
                foreach (var summary in state.candidates)
                {
                    if (updater.Lookup(summary.TaskId) is null)
                    {
                        updater.AddOrUpdate(summary);
                        state._index.Add(summary);
                        state.added.Add(summary);
                    }
                }
            });

        return _writer is null || added.Count == 0
            ? new ValueTask<IReadOnlyList<TaskSummary>>(added)
            : SaveAddedAsync(_writer, added);

        static async ValueTask<IReadOnlyList<TaskSummary>> SaveAddedAsync(StoreWriter writer, List<TaskSummary> added)
        {
            await writer.UpdateAsync(added).ConfigureAwait(false);
            return added;
        }
    }

    /// <summary>Fills the cache and the indexes of a store that was just opened, in one change set.</summary>
    private void Load(List<TaskSummary> records)
    {
        _cache.Edit(
            (records, _index),
            static (updater, state) =>
            {
                foreach (var summary in state.records)
                {
                    updater.AddOrUpdate(summary);
                    state._index.Add(summary);
                }
            });
    }

    private async ValueTask InsertDurablyAsync(TaskSummary running)
    {
        // Faults with the persistence's exception when the batch fails; the record then is nowhere.
        await _writer!.InsertAsync(running).ConfigureAwait(false);

        // Disposed meanwhile: the record is durable but the cache is closed. The spawn fails, and the record
        // comes back as an orphan when the database is next opened.
        ThrowIfDisposed();
        AddOrUpdateCore(running);
    }

    private void AddOrUpdateCore(TaskSummary summary)
    {
        _cache.Edit(
            (summary, _index),
            static (updater, state) =>
            {
                var isNew = updater.Lookup(state.summary.TaskId) is null;
                updater.AddOrUpdate(state.summary);
                if (isNew)
                {
                    state._index.Add(state.summary);
                }
            });
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
