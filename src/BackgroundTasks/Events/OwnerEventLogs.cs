using System.Collections.Concurrent;
using BackgroundTasks.Reactive;

namespace BackgroundTasks;

/// <summary>The manager's event logs, one per owner thread that has live tasks, observers or records.</summary>
internal sealed class OwnerEventLogs(int replayCapacity, Broadcaster<TaskEvent> events, ManagerDiagnostics diagnostics)
{
    private readonly ConcurrentDictionary<string, OwnerEventLog> _logs = new(StringComparer.Ordinal);
    private Func<string, bool>? _ownerHasRecords;
    private volatile bool _completed;

    public int ReplayCapacity => replayCapacity;

    public Broadcaster<TaskEvent> Events => events;

    public ManagerDiagnostics Diagnostics => diagnostics;

    public bool IsCompleted => _completed;

    /// <summary>How many threads have a log now (tests of the memory bound).</summary>
    public int Count => _logs.Count;

    /// <summary>Binds the question "does the store still hold a record of this thread?" once a store is bound.</summary>
    public void BindStore(Func<string, bool> ownerHasRecords) => Volatile.Write(ref _ownerHasRecords, ownerHasRecords);

    public bool OwnerHasRecords(string ownerThreadId) => Volatile.Read(ref _ownerHasRecords)?.Invoke(ownerThreadId) ?? false;

    /// <summary>The log of <paramref name="ownerThreadId"/>, with a task counted on it.</summary>
    public OwnerEventLog AttachTask(string ownerThreadId)
    {
        while (true)
        {
            var log = GetOrAdd(ownerThreadId);
            if (log.TryAttachTask())
            {
                return log;
            }
        }
    }

    public IDisposable Subscribe(string ownerThreadId, long? afterSequence, IObserver<TaskEvent> observer)
    {
        while (true)
        {
            if (GetOrAdd(ownerThreadId).TrySubscribe(observer, afterSequence) is { } subscription)
            {
                return subscription;
            }
        }
    }

    /// <summary>The store removed the thread's last record.</summary>
    public void OwnerEmptied(string ownerThreadId)
    {
        if (_logs.TryGetValue(ownerThreadId, out var log))
        {
            log.OnOwnerEmptied();
        }
    }

    /// <summary>Drops a retired log, unless a new one has already replaced it.</summary>
    public void Remove(OwnerEventLog log) => _logs.TryRemove(new KeyValuePair<string, OwnerEventLog>(log.OwnerThreadId, log));

    /// <summary>Completes every observer of every thread; logs made later complete their subscribers at once.</summary>
    public void Complete()
    {
        _completed = true;
        foreach (var log in _logs.Values)
        {
            log.Complete();
        }
    }

    private OwnerEventLog GetOrAdd(string ownerThreadId) =>
        _logs.GetOrAdd(ownerThreadId, static (key, logs) => new OwnerEventLog(logs, key), this);
}
