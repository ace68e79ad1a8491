namespace BackgroundTasks.AI;

/// <summary>
/// Which of a thread's ended tasks have been reported: a state-based ledger, so each ended task is taken exactly once.
/// </summary>
/// <remarks>
/// <para>
/// Each take compares the thread's terminal records with the ids already reported; an id is reserved while its notice
/// is in flight and either settled (the inner call succeeded) or released (it failed, so the next call reports it).
/// Tasks already ended when the ledger was created are not news and are never reported.
/// </para>
/// <para>
/// Settled ids whose records left the store (retention) are forgotten, so the ledger is no bigger than the store.
/// A task that ends and is pruned between two calls is not reported; the core's resumable per-thread event stream
/// (<c>ObserveEvents(thread, afterSequence)</c>) closes that gap once it is in main.
/// </para>
/// </remarks>
internal sealed class EndedTaskLedger
{
    private readonly Lock _lock = new();
    private readonly ThreadTasks _tasks;
    private readonly HashSet<string> _settled = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private Task<IReadOnlyList<TaskSummary>>? _baseline;

    public EndedTaskLedger(ThreadTasks tasks)
    {
        _tasks = tasks;
        _baseline = tasks.ListAsync();
    }

    /// <summary>Reserves up to <paramref name="max"/> ended tasks not reported yet, oldest end first.</summary>
    public async Task<IReadOnlyList<TaskSummary>> TakeAsync(int max)
    {
        var baseline = Volatile.Read(ref _baseline);
        var known = baseline is null ? null : await baseline.ConfigureAwait(false);
        var tasks = await _tasks.ListAsync().ConfigureAwait(false);
        var present = new HashSet<string>(tasks.Select(summary => summary.TaskId), StringComparer.Ordinal);
        lock (_lock)
        {
            if (known is not null && _baseline is not null)
            {
                _settled.UnionWith(known.Where(summary => summary.Status.IsTerminal()).Select(summary => summary.TaskId));
                _baseline = null;
            }

            _settled.IntersectWith(present);
            var taken = tasks
                .Where(summary => summary.Status.IsTerminal() && !_settled.Contains(summary.TaskId) && !_inFlight.Contains(summary.TaskId))
                .OrderBy(summary => summary.CompletedAt)
                .Take(max)
                .ToList();
            _inFlight.UnionWith(taken.Select(summary => summary.TaskId));
            return taken;
        }
    }

    /// <summary>The notice of these tasks reached the model: never report them again.</summary>
    public void Settle(IEnumerable<TaskSummary> taken)
    {
        lock (_lock)
        {
            foreach (var summary in taken)
            {
                _inFlight.Remove(summary.TaskId);
                _settled.Add(summary.TaskId);
            }
        }
    }

    /// <summary>The notice of these tasks did not reach the model: report them on the next call.</summary>
    public void Release(IEnumerable<TaskSummary> taken)
    {
        lock (_lock)
        {
            foreach (var summary in taken)
            {
                _inFlight.Remove(summary.TaskId);
            }
        }
    }
}
