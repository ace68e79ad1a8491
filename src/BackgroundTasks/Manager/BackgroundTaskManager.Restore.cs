using System.Globalization;

namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    private const string TaskIdPrefix = "bg_";

    /// <summary>
    /// Brings persisted metadata back: adds the snapshot's tasks the store does not have, owned by
    /// <paramref name="ownerThreadId"/>. A restored task that is Running or Queued and has no live body becomes
    /// Failed with the error <c>task orphaned: runtime restarted while running</c>. Tasks already in the
    /// store are left as they are. The id counter moves past every restored <c>bg_N</c>.
    /// </summary>
    /// <param name="ownerThreadId">The thread that owns the restored tasks.</param>
    /// <param name="snapshot">The persisted tasks.</param>
    /// <returns>A task that completes when the restored records are in the store.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty.</exception>
    /// <exception cref="SpawnException">No store is set (<see cref="SpawnError.StoreNotConfigured"/>).</exception>
    public async Task RestoreForThreadAsync(string ownerThreadId, BackgroundTaskStateSnapshot snapshot)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerThreadId);
        ArgumentNullException.ThrowIfNull(snapshot);
        var store = Store ?? throw new SpawnException(SpawnError.StoreNotConfigured, Messages.StoreNotConfigured);

        var now = _timeProvider.GetUtcNow();
        var candidates = new List<TaskSummary>(snapshot.Tasks.Count);
        foreach (var summary in snapshot.Tasks.Values)
        {
            MoveIdCounterPast(summary.TaskId);
            var owned = summary.OwnerThreadId == ownerThreadId ? summary : summary with { OwnerThreadId = ownerThreadId };
            candidates.Add(owned.Status is BackgroundTaskStatus.Running or BackgroundTaskStatus.Queued && !IsLive(owned.TaskId)
                ? TaskOutcome.Orphan(owned, now)
                : owned);
        }

        var added = await store.AddMissingAsync(candidates).ConfigureAwait(false);
        _diagnostics.Restored(ownerThreadId, snapshot, added);
    }

    /// <summary>Makes sure the next id is greater than <paramref name="taskId"/> when it is a <c>bg_N</c> id.</summary>
    internal void MoveIdCounterPast(string taskId)
    {
        if (!taskId.StartsWith(TaskIdPrefix, StringComparison.Ordinal)
            || !long.TryParse(taskId.AsSpan(TaskIdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return;
        }

        var current = Volatile.Read(ref _lastId);
        while (current < number)
        {
            var seen = Interlocked.CompareExchange(ref _lastId, number, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
