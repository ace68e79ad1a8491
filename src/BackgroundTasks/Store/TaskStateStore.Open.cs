namespace BackgroundTasks;

public sealed partial class TaskStateStore
{
    /// <summary>
    /// The records that said Running or Queued when <see cref="OpenAsync(ITaskStatePersistence, TaskStateStoreOptions?, CancellationToken)"/>
    /// loaded them, as they were saved then: Failed with <see cref="BackgroundTaskManager.OrphanedTaskError"/>.
    /// Empty for an in-memory store.
    /// </summary>
    /// <remarks>Orphans of earlier restarts are not listed: they were already Failed when this store loaded them.</remarks>
    public IReadOnlyList<TaskSummary> OrphanedOnOpen { get; private init; } = [];

    /// <summary>Opens a durable store: its cache is loaded from, and written through to, <paramref name="persistence"/>.</summary>
    /// <param name="persistence">Where the records live; the store owns it from this call on.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The store, with every stored record in its cache.</returns>
    /// <remarks>See <see cref="OpenAsync(ITaskStatePersistence, TaskStateStoreOptions?, CancellationToken)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="persistence"/> is null.</exception>
    /// <exception cref="InvalidDataException">The persistence returned a null record or the same task twice, or could not read its records.</exception>
    /// <exception cref="IOException">The persistence could not be opened, for example because another store holds it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<TaskStateStore> OpenAsync(ITaskStatePersistence persistence, CancellationToken cancellationToken = default) =>
        OpenAsync(persistence, options: null, cancellationToken);

    /// <summary>Opens a durable store with retention, clock and retry options.</summary>
    /// <param name="persistence">Where the records live; the store owns it from this call on.</param>
    /// <param name="options">Retention, retries and clock; copied now. Null means the defaults (keep everything).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The store, with every stored record in its cache.</returns>
    /// <remarks>
    /// <para>
    /// Every stored record is loaded into the cache and the indexes. A record that says Running (or Queued) belonged to a
    /// process that died with the task: it becomes Failed with the error
    /// <c>task orphaned: runtime restarted while running</c> and completes now, and is saved so before this
    /// method returns. A manager bound to the store moves its id counter past every loaded <c>bg_N</c>.
    /// With a retention policy, the store prunes once before it returns.
    /// </para>
    /// <para>
    /// Ownership: disposing the store flushes and then disposes <paramref name="persistence"/>. If this method
    /// throws, it has already disposed <paramref name="persistence"/>, so a lock the persistence took is released.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="persistence"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">A retention limit is set, but <paramref name="persistence"/> does not implement <see cref="ITaskStateRemoval"/>.</exception>
    /// <exception cref="InvalidDataException">The persistence returned a null record or the same task twice, or could not read its records.</exception>
    /// <exception cref="IOException">The persistence could not be opened, for example because another store holds it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<TaskStateStore> OpenAsync(ITaskStatePersistence persistence, TaskStateStoreOptions? options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistence);
        TaskStateStore? store = null;
        try
        {
            options = Validated(options);
            if (options.HasRetention && persistence is not ITaskStateRemoval)
            {
                throw new ArgumentException(Messages.RetentionNeedsRemoval(persistence.GetType()), nameof(persistence));
            }

            var (records, orphans) = await LoadRecordsAsync(persistence, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            store = new TaskStateStore(options, persistence) { OrphanedOnOpen = orphans };
            store.Load(records);
            if (store._retention is not null)
            {
                await store.PruneAsync(cancellationToken).ConfigureAwait(false);
            }

            return store;
        }
        catch
        {
            if (store is not null)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await persistence.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Loads and checks every record, and turns the Running and Queued ones into saved orphans.</summary>
    private static async Task<(List<TaskSummary> Records, List<TaskSummary> Orphans)> LoadRecordsAsync(ITaskStatePersistence persistence, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var loaded = await persistence.LoadAsync(cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        var records = new List<TaskSummary>(loaded.Count);
        var orphans = new List<TaskSummary>();
        var seen = new HashSet<string>(loaded.Count, StringComparer.Ordinal);
        for (var i = 0; i < loaded.Count; i++)
        {
            var record = loaded[i] ?? throw new InvalidDataException(Messages.LoadedNullRecord(i));
            if (!seen.Add(record.TaskId))
            {
                throw new InvalidDataException(Messages.LoadedDuplicate(record.TaskId));
            }

            if (record.Status is BackgroundTaskStatus.Running or BackgroundTaskStatus.Queued)
            {
                // Nothing runs before the store is open, so no live body can own a loaded Running record.
                record = TaskOutcome.Orphan(record, now);
                orphans.Add(record);
            }

            records.Add(record);
        }

        if (orphans.Count > 0)
        {
            await persistence.SaveAsync(orphans, cancellationToken).ConfigureAwait(false);
        }

        return (records, orphans);
    }
}
