namespace BackgroundTasks;

/// <summary>
/// Implemented by an <see cref="ITaskStatePersistence"/> that can delete records, so that a
/// <see cref="TaskStateStore"/> over it can apply a retention policy.
/// </summary>
/// <remarks>
/// A separate interface rather than a member of <see cref="ITaskStatePersistence"/>, so the persistence
/// contract stays as small as it is published and an append-only persistence remains a valid one. The
/// store calls it from its single writer flow, never concurrently with <see cref="ITaskStatePersistence.SaveAsync"/>.
/// </remarks>
public interface ITaskStateRemoval
{
    /// <summary>Deletes the records of the given tasks, atomically: all of them or none. Unknown ids are ignored.</summary>
    /// <param name="taskIds">The ids of the records to delete; each at most once.</param>
    /// <param name="cancellationToken">Cancels the removal; then none of the records is deleted.</param>
    /// <returns>A task that completes once the records are gone from the storage.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="IOException">The storage failed; none of the records is deleted.</exception>
    Task RemoveAsync(IReadOnlyList<string> taskIds, CancellationToken cancellationToken = default);
}
