using System.Diagnostics;
using System.Globalization;

namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    private async Task<string> SpawnCoreAsync(string ownerThreadId, string taskType, string? name, string description,
        TaskParentContext parentContext, SpawnOptions options, Delegate body, bool isAgent)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (name is not null && TaskNames.IsReserved(name))
        {
            throw new SpawnException(SpawnError.ReservedName, Messages.ReservedName(name), name: name);
        }

        var store = Store ?? throw new SpawnException(SpawnError.StoreNotConfigured, Messages.StoreNotConfigured);
        var lineage = MergeLineage(ownerThreadId, parentContext);
        ThrowIfRunCancelled(lineage.RunId);

        var runtime = new TaskRuntime(this, name, body, _eventLogs.AttachTask(ownerThreadId), OwnerInboxFor(ownerThreadId), isAgent)
        {
            Options = options,
        };

        // The name is claimed before an id is taken, so a refused name leaves no gap in bg_0, bg_1, ...
        if (name is not null && !_liveNames.TryAdd(new NameKey(ownerThreadId, name), runtime))
        {
            runtime.Events.Close();
            throw new SpawnException(SpawnError.DuplicateName, Messages.DuplicateName(name, ownerThreadId), name: name);
        }

        // Under a running limit a top-level task takes a run slot or a place in its owner's queue, and its id
        // with it (see OwnerConcurrencyGate). A child never queues: a parent must not wait behind its own children.
        long number;
        var queued = false;
        if (_gate is { } gate && lineage.TaskId is null)
        {
            queued = Admit(gate, ownerThreadId, name, runtime, out number);
        }
        else
        {
            number = Interlocked.Increment(ref _lastId);
        }

        var taskId = FormatTaskId(number);
        var now = _timeProvider.GetUtcNow();
        var running = new TaskSummary
        {
            TaskId = taskId,
            OwnerThreadId = ownerThreadId,
            TaskType = taskType,
            Name = name,
            Description = description,
            Status = queued ? BackgroundTaskStatus.Queued : BackgroundTaskStatus.Running,
            CreatedAt = now,
            ParentContext = lineage.IsEmpty ? TaskParentContext.None : lineage,
            StartedAt = queued ? null : now,
            Attempt = queued ? 0 : 1,
        };
        runtime.Activate(taskId, running);
        if (queued)
        {
            WatchQueuedCancellation(runtime);
        }

        _live.Add(taskId, runtime, lineage.TaskId);

        // DisposeAsync marks first and then collects live tasks; registering first and checking after
        // means that either it sees this task or this spawn sees the mark. The full fence keeps the check
        // from being reordered before the registration (store-load reordering is allowed even on x64).
        Interlocked.MemoryBarrier();
        if (IsDisposed)
        {
            Abandon(runtime);
            throw new ObjectDisposedException(GetType().FullName);
        }

        try
        {
            await store.WriteAsync(running).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Abandon(runtime);
            _diagnostics.PersistenceFault(exception, "spawn", taskId);
            throw new SpawnException(SpawnError.State, Messages.StoreWriteFailed(taskId), innerException: exception);
        }

        _diagnostics.Spawned(runtime);
        CancelIfSpawnedLate(runtime, lineage);
        if (queued)
        {
            OnQueuedRecorded(runtime);
        }
        else
        {
            runtime.Start(_taskScheduler);
        }

        return taskId;
    }

    /// <summary><c>bg_N</c> in one allocation (concatenation would allocate the number's string too).</summary>
    private static string FormatTaskId(long number)
    {
        var digits = 1;
        for (var rest = number; rest >= 10; rest /= 10)
        {
            digits++;
        }

        return string.Create(TaskIdPrefix.Length + digits, number, static (span, number) =>
        {
            TaskIdPrefix.CopyTo(span);
            var written = number.TryFormat(span[TaskIdPrefix.Length..], out var length, provider: CultureInfo.InvariantCulture);
            Debug.Assert(written && length == span.Length - TaskIdPrefix.Length);
        });
    }
}
