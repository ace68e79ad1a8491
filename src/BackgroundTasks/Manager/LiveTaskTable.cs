using BackgroundTasks.Collections;
using System.Diagnostics.CodeAnalysis;

namespace BackgroundTasks;

/// <summary>The runtimes of a manager's live tasks, by task id.</summary>
/// <remarks>
/// A dictionary under one lock rather than a <c>ConcurrentDictionary</c>: every spawn adds an entry and every
/// end removes it, and a concurrent dictionary allocates a node per add (about 130 bytes per task with its
/// growth), while a plain one reuses the slots that ended tasks free. Every critical section is a single
/// dictionary operation and no user code runs under the lock.
/// </remarks>
internal sealed partial class LiveTaskTable
{
    // A burst of live tasks must not pin its peak capacity for the life of the manager.
    private const int MaxRetainedCapacity = 4096;

    private readonly Lock _lock = new();
    private SegmentedDictionary<string, TaskRuntime> _runtimes = new(StringComparer.Ordinal);

    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _runtimes.Count == 0;
            }
        }
    }

    /// <summary>Registers a live runtime and links it below the runtime of <paramref name="parentId"/> (see <c>LiveTaskTable.Tree.cs</c>).</summary>
    public void Add(string taskId, TaskRuntime runtime, string? parentId)
    {
        lock (_lock)
        {
            _runtimes[taskId] = runtime;
            CountRunUnderLock(runtime);
            if (parentId is not null)
            {
                LinkUnderLock(runtime, parentId);
            }
        }
    }

    public bool TryGetValue(string taskId, [MaybeNullWhen(false)] out TaskRuntime runtime)
    {
        lock (_lock)
        {
            return _runtimes.TryGetValue(taskId, out runtime);
        }
    }

    /// <summary>Removes the entry of <paramref name="taskId"/> if it is still <paramref name="runtime"/>.</summary>
    public void Remove(string taskId, TaskRuntime runtime)
    {
        TaskCompletionSource? emptied = null;
        lock (_lock)
        {
            // One lookup in the usual case; a different runtime under the id (never expected) is put back.
            if (_runtimes.Remove(taskId, out var current))
            {
                if (current != runtime)
                {
                    _runtimes[taskId] = current;
                    return;
                }

                UnlinkUnderLock(runtime);
                UncountRunUnderLock(runtime);

                if (_runtimes.Count == 0)
                {
                    emptied = TakeEmptiedUnderLock();
                    if (_runtimes.Capacity > MaxRetainedCapacity)
                    {
                        _runtimes = new SegmentedDictionary<string, TaskRuntime>(StringComparer.Ordinal);
                    }
                }
            }
        }

        // Outside the lock, as every wake-up: a spawn racing this removal registers either before it (and the table
        // was not empty, so no waiter was taken) or after it (once the table had been empty).
        emptied?.TrySetResult();
    }

    public TaskRuntime[] ToArray()
    {
        lock (_lock)
        {
            return _runtimes.CopyValues();
        }
    }
}
