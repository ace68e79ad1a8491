namespace BackgroundTasks;

/// <summary>
/// Where a <see cref="TaskStateStore"/> keeps its records beyond the process: everything is loaded once when
/// the store opens, and batches of changed records are saved from then on.
/// </summary>
/// <remarks>
/// <para>
/// A store calls its persistence from one flow at a time (a single writer), so an implementation needs no
/// locking of its own against the store. <see cref="SaveAsync"/> must be atomic: either every record of the
/// batch is durable when it completes, or it throws and none is. A batch holds each task id at most once.
/// </para>
/// <para>
/// An implementation that can delete records also implements <see cref="ITaskStateRemoval"/>; a store needs
/// that to apply a retention policy (<see cref="TaskStateStoreOptions"/>).
/// </para>
/// <para>
/// The store that was opened over a persistence owns it and disposes it last, when it is itself disposed.
/// </para>
/// </remarks>
public interface ITaskStatePersistence : IAsyncDisposable
{
    /// <summary>Loads every stored record.</summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>Every record, each task id once; the order is the order in which the records were first saved, where known.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidDataException">A record cannot be read; implementations name the place and the problem.</exception>
    /// <exception cref="IOException">The storage cannot be opened or is held by another store.</exception>
    Task<IReadOnlyList<TaskSummary>> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves new and changed records, atomically: all of them or none.</summary>
    /// <param name="changed">The records to add or replace, keyed by <see cref="TaskSummary.TaskId"/>.</param>
    /// <param name="cancellationToken">Cancels the save; then none of the records is saved.</param>
    /// <returns>A task that completes once every record is durable.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="IOException">The storage failed; none of the records is saved.</exception>
    Task SaveAsync(IReadOnlyList<TaskSummary> changed, CancellationToken cancellationToken = default);
}
