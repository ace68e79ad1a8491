using System.Diagnostics;
using BackgroundTasks.Caching;
using BackgroundTasks.Reactive;

namespace BackgroundTasks;

/// <summary>
/// The single source of truth for task metadata: a keyed observable cache of <see cref="TaskSummary"/>
/// records, with the indexes the manager needs to answer queries in time proportional to their answer.
/// In memory by default; durable when opened over an <see cref="ITaskStatePersistence"/> with <see cref="OpenAsync(ITaskStatePersistence, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// <para>
/// Only a <see cref="BackgroundTaskManager"/> writes to a store; everyone else reads it through
/// <see cref="Tasks"/>, <see cref="Lookup"/> and <see cref="Snapshot"/>. Observers of <see cref="Tasks"/>
/// are called outside every lock, one at a time, in the order the store made its changes.
/// </para>
/// <para>
/// A durable store writes through: a record is durable before it enters the cache, so an observer never sees
/// a state a crash could take back (a spawn returns only once its Running record would survive a crash).
/// Concurrent writes share one transaction. A failed save of a changed record never leaves the cache wrong:
/// the record enters the cache after its first failed save, is reported on <see cref="PersistenceFaults"/>
/// and in the trace log, and is retried in the background until it succeeds or the store is disposed. A
/// record the persistence refuses while it saves others fails alone and, after
/// <see cref="TaskStateStoreOptions.MaxRecordRefusals"/> refusals, is replaced by a small Failed record.
/// Since a changed record enters the cache when its save completes, the store's writer applies it (on the
/// thread pool, in the order the records were written), and <see cref="Tasks"/> observers of that change run
/// there; an observer must not block waiting for a later write of the store.
/// </para>
/// </remarks>
public sealed partial class TaskStateStore : IDisposable, IAsyncDisposable
{
    private static readonly TaskStateStoreOptions s_defaultOptions = new();

    private readonly SourceCache<TaskSummary, string> _cache = new(static summary => summary.TaskId);
    private readonly TaskIndex _index = new();
    private readonly Broadcaster<TaskPersistenceFault> _faults = new();
    private readonly TimeProvider _timeProvider;
    private readonly RetentionPolicy? _retention;
    private readonly TerminalLedger? _ledger;
    private readonly ITaskStatePersistence? _persistence;
    private readonly StoreWriter? _writer;
    private readonly ITimer? _pruneTimer;
    private int _disposed;

    /// <summary>Creates an empty store that keeps its records in memory, for as long as it lives.</summary>
    public TaskStateStore()
    {
        _timeProvider = TimeProvider.System;
        _cache.ObserverFault = ReportObserverFault;
    }

    /// <summary>Creates an empty store that keeps its records in memory, with a retention policy.</summary>
    /// <param name="options">Retention and clock; copied now. The retry settings do not apply to a store in memory.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its time provider is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public TaskStateStore(TaskStateStoreOptions options)
        : this(Validated(options ?? throw new ArgumentNullException(nameof(options))), persistence: null)
    {
    }

    private TaskStateStore(TaskStateStoreOptions options, ITaskStatePersistence? persistence)
    {
        _timeProvider = options.TimeProvider;
        _cache.ObserverFault = ReportObserverFault;
        _retention = RetentionPolicy.From(options);
        _ledger = options.MaxTerminalPerOwner is { } maxPerOwner ? new TerminalLedger(maxPerOwner) : null;
        _persistence = persistence;
        _writer = persistence is null ? null : new StoreWriter(this, persistence, options);
        if (_retention is not null && options.PruneInterval != Timeout.InfiniteTimeSpan)
        {
            _pruneTimer = _timeProvider.CreateTimer(
                static state => ((TaskStateStore)state!).PruneOnTimer(), this, options.PruneInterval, options.PruneInterval);
        }
    }

    /// <summary>The records, keyed by task id, as an observable cache.</summary>
    public IObservableCache<TaskSummary, string> Tasks => _cache;

    /// <summary>Failed writes to the persistence: one notification per failed attempt. Never fires for a store in memory.</summary>
    /// <remarks>
    /// Hot. Observers are called one at a time from the store's writer, outside every lock; an exception an
    /// observer throws is logged and otherwise ignored. Completes when the store is disposed.
    /// </remarks>
    public IObservable<TaskPersistenceFault> PersistenceFaults => _faults;

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

    internal TaskSummary? LookupCore(string taskId) => _cache.Lookup(taskId);

    /// <summary>Publishes a failed write; an observer that throws cannot stop the writer.</summary>
    internal void ReportFault(TaskPersistenceFault fault)
    {
        try
        {
            _faults.OnNext(fault);
        }
        catch (Exception exception)
        {
            Trace.TraceWarning(Messages.FaultObserverThrew, exception);
        }
    }

    private static TaskStateStoreOptions Validated(TaskStateStoreOptions? options)
    {
        options ??= s_defaultOptions;
        options.Validate();
        return options;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
