using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BackgroundTasks.Orleans;

/// <summary>
/// The grain of one owner thread: a <see cref="BackgroundTaskManager"/> over a store written through to grain storage.
/// </summary>
/// <remarks>
/// <para>
/// Scheduler: grain methods run on the activation's scheduler and use <c>ConfigureAwait(true)</c> where they touch
/// grain APIs (reminders, keep-alive) after an await. Task bodies, the store's writer and the change log run on the
/// thread pool; they touch no grain state, so no call waits for them and a long body blocks nothing.
/// </para>
/// <para>
/// Lifetime: a spawn registers the orphan-sweep reminder and keeps the activation from idle collection; as soon as the
/// manager has no live task (<see cref="BackgroundTaskManager.WhenIdleAsync"/>), the keep-alive is released and the
/// activation idles out as any other, until the next spawn keeps it again (see <c>BackgroundTaskThreadGrain.KeepAlive.cs</c>).
/// A reminder tick that finds nothing live unregisters the reminder, and so does deactivation. Deactivation (a graceful silo stop
/// included) cancels the live tasks and waits for them within <see cref="BackgroundTasksSiloOptions.ShutdownGrace"/>,
/// so their terminal records are stored. After a silo dies, the reminder (or the next call) activates the thread
/// elsewhere, and opening the store turns its Running and Queued records into orphans.
/// </para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2213:Disposable fields should be disposed", Justification = "Disposed in OnDeactivateAsync, Orleans' end of an activation.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "Disposed in OnDeactivateAsync, Orleans' end of an activation.")]
internal sealed partial class BackgroundTaskThreadGrain : Grain, IBackgroundTaskThreadGrain, IRemindable
{
    /// <summary>The name of the orphan-sweep reminder of each thread grain.</summary>
    internal const string SweepReminderName = "backgroundtasks-orphan-sweep";

    private readonly BackgroundTasksSiloOptions _options;
    private readonly ILogger<BackgroundTaskThreadGrain> _logger;
    private GrainStorageTaskPersistence? _persistence;
    private TaskStateStore? _store;
    private BackgroundTaskManager? _manager;
    private ThreadChangeLog? _changes;
    private IBackgroundTaskThreadGrain? _self;
    private bool _sweepRegistered;

    public BackgroundTaskThreadGrain(BackgroundTasksSiloOptions options, ILogger<BackgroundTaskThreadGrain> logger)
    {
        _options = options;
        _logger = logger;
    }

    private string ThreadId => this.GetPrimaryKeyString();

    private BackgroundTaskManager Manager => _manager ?? throw new InvalidOperationException(OrleansMessages.NotActive);

    private TaskStateStore Store => _store ?? throw new InvalidOperationException(OrleansMessages.NotActive);

    /// <summary>
    /// This grain as a reference, for the bodies' <see cref="TaskInvocation.Thread"/>: resolved once per activation,
    /// since Orleans looks the grain interface up by reflection on every <c>AsReference</c>.
    /// </summary>
    private IBackgroundTaskThreadGrain Self => _self ?? throw new InvalidOperationException(OrleansMessages.NotActive);

    private TimeProvider Clock => ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetKeyedService<IGrainStorage>(_options.StorageName)
            ?? throw new InvalidOperationException(OrleansMessages.StorageMissing(_options.StorageName));
        _self = this.AsReference<IBackgroundTaskThreadGrain>();
        _persistence = new GrainStorageTaskPersistence(storage, this.GetGrainId(), ThreadId);
        _store = await TaskStateStore.OpenAsync(_persistence, cancellationToken).ConfigureAwait(true);
        _changes = new ThreadChangeLog(_store.Tasks, _options.EventReplayCapacityPerOwner);
        _manager = new BackgroundTaskManager(_store, _options.ManagerOptions(Clock, _logger));
        if (_store.OrphanedOnOpen.Count > 0)
        {
            OrleansLog.Orphaned(_logger, ThreadId, _store.OrphanedOnOpen.Count, RuntimeIdentity);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;
        if (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping without grace (Orleans gives up on this deactivation at once): behave as a crash.
            // The records stay as stored, and the activation that replaces this one orphans the live ones.
            Abandon();
            return;
        }

        // Cancels the live tasks and waits for them within ShutdownGrace: every record is terminal and stored after.
        if (_manager is not null)
        {
            await _manager.DisposeAsync().ConfigureAwait(true);
        }

        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(true);
        }

        _changes?.Dispose();
        if (_sweepRegistered)
        {
            await StopSweepAsync().ConfigureAwait(true);
        }
    }

    /// <summary>Fences the storage, then cancels the bodies in the background: nothing they do is stored any more.</summary>
    private void Abandon()
    {
        _persistence?.Fence();
        _changes?.Dispose();
        if (_manager is { } manager && _store is { } store)
        {
            _ = AbandonedActivation.EndAsync(manager, store, _logger, ThreadId);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SweepReminderName)
        {
            return;
        }

        // Receiving the tick activated this grain if its silo had died; opening the store did the sweep. What is
        // left is to stop ticking once nothing is live, and let the activation be collected when idle.
        _sweepRegistered = true;
        if (!await Manager.HasRunningAsync(ThreadId).ConfigureAwait(true))
        {
            await StopSweepAsync().ConfigureAwait(true);
            DelayDeactivation(TimeSpan.Zero);
        }
    }

    /// <summary>Keeps this activation alive and the sweep reminder registered while a task is live.</summary>
    private async Task StartSweepAsync()
    {
        DelayDeactivation(TimeSpan.MaxValue);
        if (!_sweepRegistered)
        {
            await this.RegisterOrUpdateReminder(SweepReminderName, _options.OrphanSweepInterval, _options.OrphanSweepInterval).ConfigureAwait(true);
            _sweepRegistered = true;
        }
    }

    private async Task StopSweepAsync()
    {
        try
        {
            if (await this.GetReminder(SweepReminderName).ConfigureAwait(true) is { } reminder)
            {
                await this.UnregisterReminder(reminder).ConfigureAwait(true);
            }

            _sweepRegistered = false;
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException or InvalidOperationException)
        {
            // A reminder left behind only costs a tick: the next one finds nothing live and tries again.
            OrleansLog.SweepNotStopped(_logger, ThreadId, exception);
        }
    }
}
