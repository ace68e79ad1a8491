using BackgroundTasks.Caching;

namespace BackgroundTasks;

/// <summary>
/// The terminal records of each owner thread, oldest end first, so a store can hold
/// <see cref="TaskStateStoreOptions.MaxTerminalPerOwner"/> as each terminal record arrives: evicting the
/// owner's oldest costs O(1) when records end in order, O(log n) otherwise, never a scan of the store.
/// </summary>
/// <remarks>
/// <para>
/// Records almost always arrive in the order they ended, so each owner keeps a FIFO lane of entries in order and a
/// heap only for those that arrive out of order (a restore, equal end times in another id order); the oldest is the
/// older of the lane's head and the heap's top. Every terminal write of a capped store adds one entry and evicts one,
/// under the cache's lock: a heap of 20k entries made both O(log n) with comparisons of times and ids, and doubled the
/// cost of a spawn.
/// </para>
/// <para>
/// Used only inside the cache's edits (under its lock), so it needs no lock of its own. A record removed by
/// other means (the age limit, a replacement) leaves a stale entry behind; entries are checked against
/// the cache when they come up, and an owner's entries are rebuilt once stale ones outnumber live ones.
/// </para>
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
        owner.Add(record.TaskId, EndKey.Of(record));
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
        while (owner.Live > _maxPerOwner && owner.TryTakeOldest(out var taskId, out var key))
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

        if (owner.Live == 0 && owner.Count == 0)
        {
            _owners.Remove(ownerThreadId);
        }
        else if (owner.Count >= MinEntriesToRebuild && owner.Count > 2 * owner.Live)
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
        while (owner.TryTakeOldest(out var taskId, out var key))
        {
            if (updater.Lookup(taskId) is { } record && IsCurrent(record, key) && seen.Add(taskId))
            {
                entries.Add((taskId, key));
            }
        }

        // Taken oldest first, so they go back in order: all into the lane.
        foreach (var (taskId, key) in entries)
        {
            owner.Add(taskId, key);
        }
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
        private static readonly Comparer<EndKey> s_order = Comparer<EndKey>.Create(Compare);

        // Entries in order (each no older than the one before it), then the rest; together, every entry of the owner.
        private readonly Queue<(string TaskId, EndKey Key)> _lane = new();
        private EndKey _lastInLane;

        public PriorityQueue<string, EndKey> Heap { get; } = new(s_order);

        public int Live { get; set; }

        public int Count => _lane.Count + Heap.Count;

        public void Add(string taskId, EndKey key)
        {
            if (_lane.Count == 0 || Compare(_lastInLane, key) <= 0)
            {
                _lane.Enqueue((taskId, key));
                _lastInLane = key;
            }
            else
            {
                Heap.Enqueue(taskId, key);
            }
        }

        /// <summary>Takes the oldest entry: the older of the lane's head and the heap's top.</summary>
        public bool TryTakeOldest(out string taskId, out EndKey key)
        {
            var inLane = _lane.TryPeek(out var head);
            var inHeap = Heap.TryPeek(out var top, out var topKey);
            if (inLane && (!inHeap || Compare(head.Key, topKey) <= 0))
            {
                _lane.Dequeue();
                (taskId, key) = head;
                return true;
            }

            if (inHeap)
            {
                Heap.Dequeue();
                (taskId, key) = (top!, topKey);
                return true;
            }

            (taskId, key) = (null!, default);
            return false;
        }
    }
}
