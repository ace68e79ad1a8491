using System.Diagnostics;

namespace BackgroundTasks;

/// <content>
/// The marks of cancelled agent runs, bounded. A run's mark refuses later spawns for it; it is needed while the
/// run may still spawn, which is while a task of it is live (its body may spawn more) or a spawn for it is racing.
/// </content>
/// <remarks>
/// <para>
/// Each live runtime counts towards its run (its merged RunId) from registration to removal, so the table knows,
/// under its lock, whether a run has a live task. Marks are kept in the order runs were cancelled; once there are
/// more than the bound, the oldest marks of runs with no live task go. A run with a live task keeps its mark
/// however many runs are cancelled after it, so the set may exceed the bound by the runs that still have live tasks.
/// </para>
/// <para>
/// A spawn counts towards its run from its registration, before it checks the mark a second time (see
/// <c>BackgroundTaskManager.LateSpawn.cs</c>), so a mark cannot go between that registration and that check. The only
/// spawn that can miss a mark is one that checked (finding none) before the run was cancelled and registers only
/// after the mark went, that is after more than the bound of other runs were cancelled meanwhile: it is accepted, as
/// is any spawn for a run whose mark has gone.
/// </para>
/// </remarks>
internal sealed partial class LiveTaskTable
{
    /// <summary>The default bound on the marks of cancelled runs with no live task.</summary>
    public const int DefaultMaxCancelledRuns = 10_000;

    private readonly Dictionary<string, int> _liveByRun = new(StringComparer.Ordinal);
    private readonly HashSet<string> _cancelledRuns = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _cancelledRunOrder = new();
    private readonly int _maxCancelledRuns = DefaultMaxCancelledRuns;

    /// <summary>Creates a table that keeps the marks of at least the last <paramref name="maxCancelledRuns"/> cancelled runs.</summary>
    public LiveTaskTable(int maxCancelledRuns)
    {
        Debug.Assert(maxCancelledRuns >= 1);
        _maxCancelledRuns = maxCancelledRuns;
    }

    /// <summary>Creates a table with the default bound on cancelled-run marks.</summary>
    public LiveTaskTable()
    {
    }

    /// <summary>How many cancelled runs are remembered now.</summary>
    public int CancelledRunCount
    {
        get
        {
            lock (_lock)
            {
                return _cancelledRuns.Count;
            }
        }
    }

    /// <summary>Marks <paramref name="runId"/> cancelled; from now on <see cref="IsRunCancelled"/> is true for it while it is remembered.</summary>
    public void MarkRunCancelled(string runId)
    {
        lock (_lock)
        {
            if (_cancelledRuns.Add(runId))
            {
                _cancelledRunOrder.AddLast(runId);
                EvictCancelledRunsUnderLock();
            }
        }
    }

    public bool IsRunCancelled(string runId)
    {
        lock (_lock)
        {
            return _cancelledRuns.Contains(runId);
        }
    }

    private void CountRunUnderLock(TaskRuntime runtime)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (runtime.Running.ParentContext.RunId is { } runId)
        {
            _liveByRun[runId] = _liveByRun.GetValueOrDefault(runId) + 1;
        }
    }

    private void UncountRunUnderLock(TaskRuntime runtime)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (runtime.Running.ParentContext.RunId is not { } runId || !_liveByRun.TryGetValue(runId, out var live))
        {
            return;
        }

        if (live > 1)
        {
            _liveByRun[runId] = live - 1;
            return;
        }

        _liveByRun.Remove(runId);
        if (_cancelledRuns.Count > _maxCancelledRuns)
        {
            EvictCancelledRunsUnderLock();
        }
    }

    /// <summary>Drops the oldest marks of runs with no live task until the bound holds or none is left to drop.</summary>
    /// <remarks>A run with a live task is passed over where it stands, so it keeps its age for when its tasks end.</remarks>
    private void EvictCancelledRunsUnderLock()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        var node = _cancelledRunOrder.First;
        while (node is not null && _cancelledRuns.Count > _maxCancelledRuns)
        {
            var next = node.Next;
            if (!_liveByRun.ContainsKey(node.Value))
            {
                _cancelledRuns.Remove(node.Value);
                _cancelledRunOrder.Remove(node);
            }

            node = next;
        }
    }
}
