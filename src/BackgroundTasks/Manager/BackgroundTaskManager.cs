using System.Globalization;
using System.Collections.Concurrent;
using BackgroundTasks.Reactive;

namespace BackgroundTasks;

/// <summary>
/// Runs background tasks and keeps them under control: spawns them, tracks them by id in a
/// <see cref="TaskStateStore"/>, delivers their events, messages sub-agents and cancels them alone,
/// by subtree, by owner thread or by agent run.
/// </summary>
/// <remarks>
/// The store is the single source of truth for metadata; the manager holds only the runtime handles of
/// live tasks. All members are thread-safe. No lock is held while user code (bodies, observers, inbox
/// callbacks) runs, so such code may call back into the manager.
/// </remarks>
public sealed partial class BackgroundTaskManager : IAsyncDisposable
{
    /// <summary>The task type recorded for sub-agents.</summary>
    public const string SubAgentTaskType = "sub_agent";

    /// <summary>
    /// The error recorded for a task that was Running when its runtime went away (after a restore, or when
    /// a persisted store is opened): <c>task orphaned: runtime restarted while running</c>.
    /// </summary>
    public const string OrphanedTaskError = Messages.OrphanedTask;

    private static readonly AsyncLocal<string?> s_currentTaskId = new();

    private readonly TimeProvider _timeProvider;
    private readonly TaskScheduler _taskScheduler;
    private readonly long _maxResultBytes;
    private readonly LiveTaskTable _live;
    private readonly ConcurrentDictionary<NameKey, TaskRuntime> _liveNames = new();
    private readonly Broadcaster<TaskEvent> _events;
    private readonly OwnerEventLogs _eventLogs;
    private readonly ManagerDiagnostics _diagnostics;
    private readonly int? _maxRunningPerOwner;
    private readonly int? _maxQueuedPerOwner;
    private readonly TimeSpan _shutdownGrace;
    private readonly OwnerConcurrencyGate? _gate;
    private TaskStateStore? _store;
    private InboxSender? _ownerInbox;
    private long _lastId = -1;
    private TaskCompletionSource? _disposal;

    /// <summary>Creates a manager with no store; call <see cref="SetStore"/> before spawning.</summary>
    /// <param name="options">Clock, scheduler, limits and telemetry; copied now. Null means the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public BackgroundTaskManager(BackgroundTaskManagerOptions? options = null)
    {
        options ??= new BackgroundTaskManagerOptions();
        options.Validate();
        _maxRunningPerOwner = options.MaxRunningPerOwner;
        _maxQueuedPerOwner = options.MaxQueuedPerOwner;
        _shutdownGrace = options.ShutdownGrace;
        _gate = options.MaxRunningPerOwner is { } maxRunning ? new OwnerConcurrencyGate(maxRunning, options.MaxQueuedPerOwner) : null;
        _maxResultBytes = options.MaxResultBytes;
        _live = new LiveTaskTable(options.MaxCancelledRuns);
        _timeProvider = options.TimeProvider ?? TimeProvider.System;
        _taskScheduler = options.TaskScheduler ?? TaskScheduler.Default;
        _diagnostics = new ManagerDiagnostics(options.Logger, options.MeterFactory);

        // An observer of Events that throws is logged and costs the other observers nothing (see Broadcaster).
        _events = new Broadcaster<TaskEvent>((exception, message) => _diagnostics.DeliveryFault(exception, message?.TaskId ?? "(none)"));
        _eventLogs = new OwnerEventLogs(options.EventReplayCapacityPerOwner, _events, _diagnostics);
    }

    /// <summary>Creates a manager bound to <paramref name="store"/>.</summary>
    /// <param name="store">The state store.</param>
    /// <param name="options">Clock, scheduler, limits and telemetry; copied now. Null means the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public BackgroundTaskManager(TaskStateStore store, BackgroundTaskManagerOptions? options = null)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(store);
        SetStore(store);
    }

    /// <summary>The id of the background task whose body is running on this async flow, or null.</summary>
    public static string? CurrentTaskId => s_currentTaskId.Value;

    internal ManagerDiagnostics Diagnostics => _diagnostics;

    /// <summary>The stream behind <see cref="Events"/>, which task event channels publish to.</summary>
    internal Broadcaster<TaskEvent> EventStream => _events;

    /// <summary>Top-level tasks of one owner thread that may run at once; null: no limit.</summary>
    internal int? MaxRunningPerOwner => _maxRunningPerOwner;

    /// <summary>Queued tasks one owner thread may have; null: no limit.</summary>
    internal int? MaxQueuedPerOwner => _maxQueuedPerOwner;

    /// <summary>How long <see cref="DisposeAsync"/> waits for cancelled bodies before abandoning them.</summary>
    internal TimeSpan ShutdownGrace => _shutdownGrace;

    private bool IsDisposed => Volatile.Read(ref _disposal) is not null;

    /// <summary>Binds the inbox that receives the events of tasks spawned from now on.</summary>
    /// <param name="inbox">The owner inbox.</param>
    /// <remarks>Replaces the previous one; tasks keep the inbox that was bound when they were spawned.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="inbox"/> is null.</exception>
    public void SetOwnerInbox(InboxSender inbox)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        Volatile.Write(ref _ownerInbox, inbox);
    }

    /// <summary>Binds the state store. The first call wins; later calls are ignored.</summary>
    /// <param name="store">The state store.</param>
    /// <remarks>The id counter moves past every <c>bg_N</c> the store already holds, such as those loaded from a persistence.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    public void SetStore(TaskStateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (Interlocked.CompareExchange(ref _store, store, null) is null)
        {
            foreach (var taskId in store.Tasks.Keys)
            {
                MoveIdCounterPast(taskId);
            }

            store.ObserverFault = _diagnostics.DeliveryFault;

            // A thread whose records are all gone (retention) keeps no replay buffer.
            _eventLogs.BindStore(store.Index.HasOwner);
            store.Index.OwnerEmptied = _eventLogs.OwnerEmptied;
            foreach (var orphan in store.OrphanedOnOpen)
            {
                _diagnostics.Orphaned(orphan);
            }

            // A durable store retries failed writes in the background and reports them there, not to the
            // writer; the manager's logger and fault counter must see them too. The subscription lives as
            // long as the store: it completes the stream when it is disposed.
            store.PersistenceFaults.Subscribe(fault => _diagnostics.PersistenceFault(
                fault.Exception, fault.IsRemoval ? "prune" : "save", Describe(fault.PendingTaskIds)));

            // Last: observers that subscribed before a store was bound attach now.
            _storeBound.TrySetResult(store);
        }
    }

    private TaskStateStore? Store => Volatile.Read(ref _store);

    /// <summary>"bg_4", or "bg_4 and 12 more" for a batch: enough to find the tasks, short enough for a log line.</summary>
    private static string Describe(IReadOnlyList<string> taskIds) => taskIds.Count switch
    {
        0 => "(none)",
        1 => taskIds[0],
        _ => string.Create(CultureInfo.InvariantCulture, $"{taskIds[0]} and {taskIds.Count - 1} more"),
    };

    /// <summary>The record of a task: from the store, or from its runtime while its spawn is being written.</summary>
    private TaskSummary? Find(string taskId) =>
        Store?.Lookup(taskId) ?? (_live.TryGetValue(taskId, out var runtime) && runtime.TaskId.Length > 0 ? runtime.Running : null);

    private bool IsLive(string taskId) => _live.TryGetValue(taskId, out var runtime) && !runtime.IsEnded;
}
