using System.Text.Json;
using BackgroundTasks.Caching;

namespace BackgroundTasks.Orleans;

/// <summary>
/// What one <c>ConnectThread</c> observer has been shown, so a snapshot after a reconnect becomes only the changes the
/// observer missed: Adds for new records, Updates for changed ones, Removes for vanished ones; nothing twice.
/// </summary>
internal sealed class ThreadMirror
{
    private readonly Dictionary<string, TaskSummary> _shown = new(StringComparer.Ordinal);

    /// <summary>The changes to show for <paramref name="batch"/>; empty when the observer already has it all.</summary>
    public WireChangeSet Apply(ThreadChangeBatch batch)
    {
        var changes = new WireChangeSet();
        if (batch.IsSnapshot)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in batch.Changes)
            {
                seen.Add(change.Current.TaskId);
                Show(changes, ChangeReason.Add, change.Current);
            }

            foreach (var gone in _shown.Keys.Where(key => !seen.Contains(key)).ToList())
            {
                changes.Add(new Change<TaskSummary, string>(ChangeReason.Remove, gone, _shown[gone], null));
                _shown.Remove(gone);
            }

            return changes;
        }

        foreach (var change in batch.Changes)
        {
            Show(changes, change.Reason, change.Current);
        }

        return changes;
    }

    private void Show(WireChangeSet changes, ChangeReason reason, TaskSummary current)
    {
        var key = current.TaskId;
        _shown.TryGetValue(key, out var previous);
        switch (reason)
        {
            case ChangeReason.Remove:
                if (_shown.Remove(key))
                {
                    changes.Add(new Change<TaskSummary, string>(ChangeReason.Remove, key, current, null));
                }

                break;
            case ChangeReason.Refresh:
                changes.Add(new Change<TaskSummary, string>(ChangeReason.Refresh, key, current, null));
                break;
            default:
                if (previous is null)
                {
                    changes.Add(new Change<TaskSummary, string>(ChangeReason.Add, key, current, null));
                }
                else if (!SameRecord(previous, current))
                {
                    changes.Add(new Change<TaskSummary, string>(ChangeReason.Update, key, current, previous));
                }

                _shown[key] = current;
                break;
        }
    }

    // Records that crossed the wire hold fresh JsonElements, which compare by reference; their JSON compares by value.
    private static bool SameRecord(TaskSummary left, TaskSummary right) =>
        ReferenceEquals(left, right) || JsonSerializer.Serialize(left) == JsonSerializer.Serialize(right);
}
