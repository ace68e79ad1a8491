namespace BackgroundTasks;

/// <content>
/// An end is final on disk too. A change enters the cache only once the publisher applies it, after the loop has moved
/// on, so for a moment the loop has saved a task's end that the cache does not show yet; a non-terminal change of that
/// task queued meanwhile (a queued task's start racing its abandonment) must not be saved after it. The loop remembers
/// the ends it has handed to the publisher until they are applied; from then on the cache tells.
/// </content>
internal sealed partial class StoreWriter
{
    // Loop only: the ids of the ends handed to the publisher, each with the number of its publication.
    private readonly Dictionary<string, long> _endsInFlight = new(StringComparer.Ordinal);
    private long _publicationCount;

    // Written by the publisher once it has applied a publication to the cache.
    private long _appliedCount;

    /// <summary>Numbers a publication about to be handed over, and remembers the ends in it.</summary>
    private void NoteEnds(Dictionary<string, TaskSummary>? updates)
    {
        _publicationCount++;
        foreach (var summary in updates?.Values ?? (IEnumerable<TaskSummary>)[])
        {
            if (summary.Status.IsTerminal())
            {
                _endsInFlight[summary.TaskId] = _publicationCount;
            }
        }
    }

    /// <summary>The publisher has applied one more publication to the cache.</summary>
    private void NoteApplied() => Interlocked.Increment(ref _appliedCount);

    /// <summary>
    /// Whether <paramref name="summary"/> would reopen an end saved but not yet in the cache. Checked before the cache:
    /// once this says no, an end it knew of is in the cache, where the caller's check finds it.
    /// </summary>
    private bool ReopensAnEndInFlight(TaskSummary summary)
    {
        if (_endsInFlight.Count == 0 || summary.Status.IsTerminal()
            || !_endsInFlight.TryGetValue(summary.TaskId, out var publication))
        {
            return false;
        }

        return publication > Volatile.Read(ref _appliedCount);
    }

    /// <summary>Forgets the ends the cache shows now.</summary>
    private void ForgetAppliedEnds()
    {
        if (_endsInFlight.Count == 0)
        {
            return;
        }

        var applied = Volatile.Read(ref _appliedCount);
        foreach (var (taskId, publication) in _endsInFlight)
        {
            if (publication <= applied)
            {
                _endsInFlight.Remove(taskId);
            }
        }
    }
}
