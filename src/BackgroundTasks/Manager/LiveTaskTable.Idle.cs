namespace BackgroundTasks;

/// <content>
/// Waiting for the table to be empty. The waiter is made only when someone waits while the table holds runtimes, and
/// is taken by the removal that empties it, so spawns and ends pay nothing for it but one field read when the last
/// runtime goes.
/// </content>
internal sealed partial class LiveTaskTable
{
    // One waiter shared by every caller while the table is not empty; null while nobody waits.
    private TaskCompletionSource? _emptied;

    /// <summary>A task that completes once the table is empty: at once if it is now, else when the last runtime is removed.</summary>
    public Task WhenEmpty()
    {
        lock (_lock)
        {
            return _runtimes.Count == 0
                ? Task.CompletedTask
                : (_emptied ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>Takes the waiter for the table's emptiness; called under the lock by the removal that empties it.</summary>
    private TaskCompletionSource? TakeEmptiedUnderLock()
    {
        var emptied = _emptied;
        _emptied = null;
        return emptied;
    }
}
