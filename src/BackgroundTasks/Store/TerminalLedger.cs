using BackgroundTasks.Caching;

namespace BackgroundTasks;

/// <summary>
/// The terminal records of each owner thread, oldest end first, so a store can hold
/// <see cref="TaskStateStoreOptions.MaxTerminalPerOwner"/> as each terminal record arrives: evicting the
/// owner's oldest costs O(log n), not a scan of the store.
/// </summary>
/// <remarks>
/// Used only inside the cache's edits (under its lock), so it needs no lock of its own. A record removed by
/// other means (the age limit, a replacement) leaves a stale heap entry behind; entries are checked against
/// the cache when they come up, and a heap is rebuilt once stale entries outnumber live ones.
/// </remarks>
internal sealed class TerminalLedger
{
    private const int MinEntriesToRebuild = 32;

    private readonly int _maxPerOwner;
    private readonly Dictionary<string, Owner> _owners = new(StringComparer.Ordinal);

    public TerminalLedger(int maxPerOwner) => _maxPerOwner = maxPerOwner;

    /// <summary>Notes a record that entered the cache or replaced <paramref name="previous"/>.</summary>
    public void Added(TaskSummary record, TaskSummary? previous)
    {
        if (previous is not null)
        {
            Removed(previous);
        }

        if (!record.Status.IsTerminal())
        {
            return;
        }

        if (!_owners.TryGetValue(record.OwnerThreadId, out var owner))
        {
            owner = new Owner();
            _owners.Add(record.OwnerThreadId, owner);
        }

        owner.Live++;
        owner.Heap.Enqueue(record.TaskId, EndKey.Of(record));
    }

    /// <summary>Notes a record that left the cache (or was replaced).</summary>
    public void Removed(TaskSummary record)
    {
        if (record.Status.IsTerminal() && _owners.TryGetValue(record.OwnerThreadId, out var owner))
        {
            owner.Live--;
        }
    }

    /// <summary>
    /// Removes the owner's oldest terminal records while it holds more than the limit, skipping those
    /// <paramref name="isPinned"/> holds on to; adds their ids to <paramref name="evicted"/>.
    /// </summary>
    public void Evict(string ownerThreadId, ISourceUpdater<TaskSummary, string> updater, TaskIndex index,
        Func<string, bool>? isPinned, List<string> evicted)
    {
        if (!_owners.TryGetValue(ownerThreadId, out var owner) || owner.Live <= _maxPerOwner)
        {
            return;
        }

        List<(string Id, EndKey Key)>? kept = null;
        while (owner.Live > _maxPerOwner && owner.Heap.TryDequeue(out var taskId, out var key))
        {
            if (updater.Lookup(taskId) is not { } record || !IsCurrent(record, key))
            {
                continue;
            }

            if (isPinned is not null && isPinned(taskId))
            {
                (kept ??= []).Add((taskId, key));
                continue;
            }

            updater.Remove(taskId);
            index.Remove(record);
            owner.Live--;
            evicted.Add(taskId);
        }

        if (kept is not null)
        {
            foreach (var (taskId, key) in kept)
            {
                owner.Heap.Enqueue(taskId, key);
            }
        }

        if (owner.Live == 0 && owner.Heap.Count == 0)
        {
            _owners.Remove(ownerThreadId);
        }
        else if (owner.Heap.Count >= MinEntriesToRebuild && owner.Heap.Count > 2 * owner.Live)
        {
            Rebuild(owner, updater);
        }
    }

    private static bool IsCurrent(TaskSummary record, EndKey key) =>
        record.Status.IsTerminal() && Compare(EndKey.Of(record), key) == 0;

    /// <summary>Drops stale and duplicate entries, so a heap's size follows its owner's live terminal records.</summary>
    private static void Rebuild(Owner owner, ISourceUpdater<TaskSummary, string> updater)
    {
        var seen = new HashSet<string>(owner.Live, StringComparer.Ordinal);
        var entries = new List<(string, EndKey)>(owner.Live);
        while (owner.Heap.TryDequeue(out var taskId, out var key))
        {
            if (updater.Lookup(taskId) is { } record && IsCurrent(record, key) && seen.Add(taskId))
            {
                entries.Add((taskId, key));
            }
        }

        owner.Heap.EnqueueRange(entries);
    }

    /// <summary>Oldest end first; ties go to the earlier id (bg_9 before bg_10), the reverse of <see cref="RetentionPolicy"/>'s newest first.</summary>
    private static int Compare(EndKey x, EndKey y)
    {
        var byEnd = x.End.CompareTo(y.End);
        if (byEnd != 0)
        {
            return byEnd;
        }

        var byLength = x.TaskId.Length.CompareTo(y.TaskId.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(x.TaskId, y.TaskId);
    }

    private readonly record struct EndKey(DateTimeOffset End, string TaskId)
    {
        public static EndKey Of(TaskSummary record) => new(record.CompletedAt ?? record.CreatedAt, record.TaskId);
    }

    private sealed class Owner
    {
        public PriorityQueue<string, EndKey> Heap { get; } = new(Comparer<EndKey>.Create(Compare));

        public int Live { get; set; }
    }
}
