using System.Collections.Concurrent;

namespace BackgroundTasks;

/// <content>
/// A task's end is final. A durable store saves a new record before it enters the cache, and a task can be abandoned
/// (<see cref="BackgroundTaskManager.CancelAndWaitAsync"/>, <see cref="BackgroundTaskManager.DisposeAsync"/>) while its
/// spawn's Running record is still being saved: the end then finds no record in the cache and is a new record too. Two
/// such writes of one task run one after the other, so that the second is a change of the first (saved after it) or, when
/// the first was the end, is dropped; and no write ever puts a non-terminal record over a terminal one of the same task.
/// </content>
public sealed partial class TaskStateStore
{
    // Durable only: the writes of records the cache does not have yet, by task id. The value completes (never faults)
    // once the write is over, true when it left the task ended.
    private readonly ConcurrentDictionary<string, Task<bool>> _inserting = new(StringComparer.Ordinal);

    /// <summary>Whether writing <paramref name="next"/> over <paramref name="current"/> would reopen an ended task: such a write lost a race with the end.</summary>
    internal static bool Reopens(TaskSummary current, TaskSummary next) => current.Status.IsTerminal() && !next.Status.IsTerminal();

    /// <summary>Writes a record whose id the cache does not have: after any other such write of the same task.</summary>
    private async ValueTask InsertDurablyAsync(TaskSummary summary)
    {
        var over = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        while (!_inserting.TryAdd(summary.TaskId, over.Task))
        {
            if (_inserting.TryGetValue(summary.TaskId, out var earlier)
                && await earlier.ConfigureAwait(false) && !summary.Status.IsTerminal())
            {
                // The task was ended (abandoned) before its Running record was written: the end stays.
                return;
            }
        }

        var ended = false;
        try
        {
            ThrowIfDisposed();
            if (_cache.Lookup(summary.TaskId) is { } current)
            {
                // The write waited for (or one that finished just before this one registered) put the record there.
                ended = current.Status.IsTerminal() || summary.Status.IsTerminal();
                await WriteChangeAsync(current, summary).ConfigureAwait(false);
                return;
            }

            // Faults with the persistence's exception when the save fails; the record then is nowhere.
            await _writer!.InsertAsync(summary).ConfigureAwait(false);

            // Disposed meanwhile: the record is durable but the cache is closed. The spawn fails, and the record
            // comes back as an orphan when the database is next opened.
            ThrowIfDisposed();
            AddOrUpdateCore(summary);
            ended = summary.Status.IsTerminal();
        }
        finally
        {
            // Removed first, so that a write woken by the result finds the way free.
            _inserting.TryRemove(new KeyValuePair<string, Task<bool>>(summary.TaskId, over.Task));
            over.SetResult(ended);
        }
    }

    /// <summary>Writes a change of a record in the cache; a change that would reopen an ended task is dropped.</summary>
    private ValueTask WriteChangeAsync(TaskSummary current, TaskSummary summary) =>
        Reopens(current, summary) ? ValueTask.CompletedTask : new ValueTask(_writer!.UpdateAsync(summary));
}
