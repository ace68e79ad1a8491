using BackgroundTasks.Caching;

namespace BackgroundTasks;

/// <summary>
/// The single source of truth for task metadata: a keyed observable cache of <see cref="TaskSummary"/>
/// records, with the indexes the manager needs to answer queries in time proportional to their answer.
/// </summary>
/// <remarks>
/// Only a <see cref="BackgroundTaskManager"/> writes to a store; everyone else reads it through
/// <see cref="Tasks"/>, <see cref="Lookup"/> and <see cref="Snapshot"/>. Observers of <see cref="Tasks"/>
/// are called outside every lock, one at a time, in the order the store made its changes.
/// </remarks>
public sealed class TaskStateStore : IDisposable
{
    private readonly SourceCache<TaskSummary, string> _cache = new(static summary => summary.TaskId);
    private readonly TaskIndex _index = new();
    private int _disposed;

    /// <summary>Creates an empty store that keeps its records in memory.</summary>
    public TaskStateStore()
    {
    }

    /// <summary>The records, keyed by task id, as an observable cache.</summary>
    public IObservableCache<TaskSummary, string> Tasks => _cache;

    internal TaskIndex Index => _index;

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The record of a task, or <see langword="null"/> when the store has none.</summary>
    /// <param name="taskId">The task id.</param>
    /// <returns>The current record, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskId"/> is null.</exception>
    public TaskSummary? Lookup(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        return _cache.Lookup(taskId);
    }

    /// <summary>A point-in-time copy of every record.</summary>
    /// <returns>The snapshot.</returns>
    public BackgroundTaskStateSnapshot Snapshot()
    {
        var items = _cache.Items;
        var tasks = new Dictionary<string, TaskSummary>(items.Count, StringComparer.Ordinal);
        foreach (var summary in items)
        {
            tasks[summary.TaskId] = summary;
        }

        return new BackgroundTaskStateSnapshot(tasks);
    }

    /// <summary>Writes one record (new or changed).</summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    internal ValueTask WriteAsync(TaskSummary summary)
    {
        ThrowIfDisposed();
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
        return ValueTask.CompletedTask;
    }

    /// <summary>Adds the records whose ids the store does not have, in one change set; returns those added.</summary>
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
        return new ValueTask<IReadOnlyList<TaskSummary>>(added);
    }

    /// <summary>Disposes the store: its cache completes every subscriber, and later writes fail.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _cache.Dispose();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
