namespace BackgroundTasks;

/// <summary>Chooses which terminal records a store forgets: those older than a limit, and those past a count per owner thread.</summary>
/// <remarks>Pure selection: it reads records and returns ids, so the store decides when and under which locks to remove them.</remarks>
internal sealed class RetentionPolicy
{
    private readonly TimeSpan? _retainFor;
    private readonly int? _maxPerOwner;

    private RetentionPolicy(TimeSpan? retainFor, int? maxPerOwner)
    {
        _retainFor = retainFor;
        _maxPerOwner = maxPerOwner;
    }

    /// <summary>The policy the options ask for, or null when they set no limit.</summary>
    public static RetentionPolicy? From(TaskStateStoreOptions options) =>
        options.HasRetention ? new RetentionPolicy(options.RetainTerminalFor, options.MaxTerminalPerOwner) : null;

    /// <summary>The ids of the records to prune at <paramref name="now"/>, skipping those <paramref name="isPinned"/> holds on to.</summary>
    public List<string> Select(IEnumerable<TaskSummary> records, DateTimeOffset now, Func<string, bool>? isPinned)
    {
        var pruned = new List<string>();
        Dictionary<string, List<TaskSummary>>? byOwner = _maxPerOwner is null ? null : new(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (!record.Status.IsTerminal() || (isPinned is not null && isPinned(record.TaskId)))
            {
                continue;
            }

            if (_retainFor is { } retainFor && now - EndOf(record) >= retainFor)
            {
                pruned.Add(record.TaskId);
            }
            else if (byOwner is not null)
            {
                if (!byOwner.TryGetValue(record.OwnerThreadId, out var owned))
                {
                    owned = [];
                    byOwner.Add(record.OwnerThreadId, owned);
                }

                owned.Add(record);
            }
        }

        if (byOwner is not null)
        {
            var keep = _maxPerOwner.GetValueOrDefault();
            foreach (var owned in byOwner.Values)
            {
                if (owned.Count > keep)
                {
                    owned.Sort(NewestFirst);
                    for (var i = keep; i < owned.Count; i++)
                    {
                        pruned.Add(owned[i].TaskId);
                    }
                }
            }
        }

        return pruned;
    }

    private static DateTimeOffset EndOf(TaskSummary record) => record.CompletedAt ?? record.CreatedAt;

    /// <summary>Latest end first; ties go to the later id (bg_10 after bg_9, so longer ids count as later).</summary>
    private static int NewestFirst(TaskSummary x, TaskSummary y)
    {
        var byEnd = EndOf(y).CompareTo(EndOf(x));
        if (byEnd != 0)
        {
            return byEnd;
        }

        var byLength = y.TaskId.Length.CompareTo(x.TaskId.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(y.TaskId, x.TaskId);
    }
}
