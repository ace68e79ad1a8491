using BackgroundTasks.Collections;

namespace BackgroundTasks;

/// <summary>
/// Task ids grouped by a key (an owner, a parent, a run), each group in the order its ids were added, with
/// O(1) removal: removing a group's oldest ids one by one (as retention does) must not cost O(n) each.
/// </summary>
/// <remarks>
/// A removed id leaves a hole in its group's slot list; the group is compacted once holes outnumber live ids,
/// so the amortized cost of a removal stays constant and a group's memory stays proportional to its live ids.
/// One position map serves every group (a task id is in at most one group of an index), so a group with a
/// single id costs a list, not a list and a dictionary. The map is built by the first removal: a store that never
/// removes a record (no retention, no pruning: the default) never pays for it, ~56 bytes allocated and ~28 kept per
/// task; the store that does remove pays one pass over its ids, once. Not thread-safe: <see cref="TaskIndex"/> locks
/// around it.
/// </remarks>
internal sealed class IdGroups
{
    private const int MinSlotsToCompact = 16;

    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private SegmentedDictionary<string, int>? _slotOf;

    public void Add(string key, string taskId)
    {
        if (!_groups.TryGetValue(key, out var group))
        {
            group = new Group();
            _groups.Add(key, group);
        }

        if (_slotOf is not null)
        {
            _slotOf[taskId] = group.Slots.Count;
        }

        group.Slots.Add(taskId);
        group.Live++;
    }

    /// <summary>Removes an id from its group; true when that was the group's last id (the key is gone).</summary>
    public bool Remove(string key, string taskId)
    {
        if (!_groups.TryGetValue(key, out var group) || !(_slotOf ?? BuildPositions()).TryGetValue(taskId, out var slot)
            || slot >= group.Slots.Count || !string.Equals(group.Slots[slot], taskId, StringComparison.Ordinal))
        {
            return false;
        }

        _slotOf!.Remove(taskId);
        group.Slots[slot] = null;
        group.Live--;
        if (group.Live == 0)
        {
            _groups.Remove(key);
            return true;
        }

        if (group.Slots.Count >= MinSlotsToCompact && group.Slots.Count > 2 * group.Live)
        {
            Compact(group);
        }

        return false;
    }

    /// <summary>Whether the key has any id.</summary>
    public bool Contains(string key) => _groups.ContainsKey(key);

    /// <summary>A copy of the group's ids in the order they were added; empty when the key has none.</summary>
    public string[] Read(string key)
    {
        if (!_groups.TryGetValue(key, out var group))
        {
            return [];
        }

        var ids = new string[group.Live];
        var next = 0;
        for (var slot = 0; slot < group.Slots.Count; slot++)
        {
            var id = group.Slots[slot];
            if (id is not null)
            {
                ids[next++] = id;
            }
        }

        return ids;
    }

    /// <summary>The position of every id in its group, made when the first removal needs it and kept up from then on.</summary>
    private SegmentedDictionary<string, int> BuildPositions()
    {
        var positions = new SegmentedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in _groups.Values)
        {
            for (var slot = 0; slot < group.Slots.Count; slot++)
            {
                if (group.Slots[slot] is { } id)
                {
                    positions[id] = slot;
                }
            }
        }

        return _slotOf = positions;
    }

    private void Compact(Group group)
    {
        var slots = group.Slots;
        var kept = 0;
        for (var i = 0; i < slots.Count; i++)
        {
            if (slots[i] is { } id)
            {
                slots[kept] = id;
                _slotOf![id] = kept;
                kept++;
            }
        }

        slots.Truncate(kept);
    }

    private sealed class Group
    {
        public SegmentedList<string?> Slots { get; } = new();

        public int Live { get; set; }
    }
}
