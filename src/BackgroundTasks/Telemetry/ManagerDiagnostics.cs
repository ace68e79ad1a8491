using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackgroundTasks;

/// <summary>
/// Everything a manager reports about its tasks: metrics, one activity per task, and log events. The
/// manager calls one method per moment of a task's life; each checks whether anybody listens before it
/// builds a tag, an activity or a message, so telemetry costs next to nothing while nobody does.
/// </summary>
/// <remarks>Never throws into the manager: listeners are user code, but the BCL already isolates them.</remarks>
internal sealed class ManagerDiagnostics
{
    private readonly ILogger _logger;
    private readonly TaskInstruments _instruments;

    public ManagerDiagnostics(ILogger? logger, IMeterFactory? meterFactory)
    {
        _logger = logger ?? NullLogger.Instance;
        _instruments = TaskInstruments.For(meterFactory);
    }

    /// <summary>A task's Running record is in the store and its body is about to start.</summary>
    public void Spawned(TaskRuntime runtime)
    {
        var running = runtime.Running;
        if (_instruments.Spawned.Enabled)
        {
            _instruments.Spawned.Add(1, TypeTag(running));
        }

        if (_instruments.Live.Enabled)
        {
            _instruments.Live.Add(1, TypeTag(running));
        }

        runtime.Activity = TaskActivities.Start(running);
        TaskLog.TaskSpawned(_logger, running.TaskId, running.TaskType, running.Name, running.OwnerThreadId, running.ParentContext.TaskId);
    }

    /// <summary>A task's terminal record is in the store (or the store refused it); its terminal event goes out next.</summary>
    /// <remarks>An abandoned task (its body did not stop within the grace) is counted with <see cref="BackgroundTaskTelemetry.AbandonedTag"/>.</remarks>
    public void Ended(TaskRuntime runtime, TaskSummary terminal, bool abandoned)
    {
        if (_instruments.Live.Enabled)
        {
            _instruments.Live.Add(-1, TypeTag(terminal));
        }

        if (_instruments.Ended.Enabled)
        {
            if (abandoned)
            {
                _instruments.Ended.Add(1, TypeTag(terminal), StatusTag(terminal), new(BackgroundTaskTelemetry.AbandonedTag, true));
            }
            else
            {
                _instruments.Ended.Add(1, TypeTag(terminal), StatusTag(terminal));
            }
        }

        var seconds = DurationSeconds(terminal);
        if (_instruments.Duration.Enabled)
        {
            _instruments.Duration.Record(seconds, TypeTag(terminal), StatusTag(terminal));
        }

        TaskActivities.Stop(runtime.Activity, terminal);
        if (abandoned)
        {
            TaskLog.TaskAbandoned(_logger, terminal.TaskId, terminal.TaskType, terminal.Error);
            return;
        }

        switch (terminal.Status)
        {
            case BackgroundTaskStatus.Completed:
                TaskLog.TaskCompleted(_logger, terminal.TaskId, terminal.TaskType, seconds);
                break;
            case BackgroundTaskStatus.Failed:
                TaskLog.TaskFailed(_logger, terminal.TaskId, terminal.TaskType, seconds, terminal.Error);
                break;
            default:
                TaskLog.TaskCancelled(_logger, terminal.TaskId, terminal.TaskType, seconds);
                break;
        }
    }

    /// <summary>A body ended after its attempt timed out or its task was abandoned; what it produced is ignored.</summary>
    public void LateResultIgnored(TaskSummary running, AttemptOutcome outcome)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            TaskLog.LateResultIgnored(_logger, running.TaskId, running.TaskType, running.Attempt, outcome.Describe());
        }
    }

    /// <summary>An attempt failed and runs again after <paramref name="delay"/>.</summary>
    public void Retrying(TaskSummary running, int failedAttempt, string error, TimeSpan delay) =>
        TaskLog.TaskRetrying(_logger, running.TaskId, running.TaskType, failedAttempt, delay.TotalMilliseconds, error);

    /// <summary>Cancellation was signalled to a live task.</summary>
    public void CancellationRequested(TaskSummary running) =>
        TaskLog.CancellationRequested(_logger, running.TaskId, running.TaskType, running.OwnerThreadId);

    /// <summary>A message reached a sub-agent's inbox.</summary>
    public void MessageSent(string taskId, string senderAgentId)
    {
        if (_instruments.MessagesSent.Enabled)
        {
            _instruments.MessagesSent.Add(1);
        }

        TaskLog.InboxMessageSent(_logger, taskId, senderAgentId);
    }

    /// <summary>
    /// <see cref="BackgroundTaskManager.RestoreForThreadAsync"/> added <paramref name="added"/> to the store;
    /// those that were Running in <paramref name="snapshot"/> are orphans now.
    /// </summary>
    public void Restored(string ownerThreadId, BackgroundTaskStateSnapshot snapshot, IReadOnlyList<TaskSummary> added)
    {
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var orphans = 0;
        foreach (var summary in added)
        {
            if (summary.Status == BackgroundTaskStatus.Failed
                && snapshot.Tasks.TryGetValue(summary.TaskId, out var before) && before.Status is BackgroundTaskStatus.Running or BackgroundTaskStatus.Queued)
            {
                orphans++;
                Orphaned(summary);
            }
        }

        TaskLog.TasksRestored(_logger, added.Count, ownerThreadId, orphans);
    }

    /// <summary>A record that was Running with no live body has been recorded as Failed (orphaned).</summary>
    /// <remarks>Also for a durable store: call it for each Running record it loads and fails.</remarks>
    public void Orphaned(TaskSummary orphan) =>
        TaskLog.TaskOrphaned(_logger, orphan.TaskId, orphan.TaskType, orphan.OwnerThreadId);

    /// <summary>A user callback (inbox, event observer, token registration) threw while a task's events were delivered.</summary>
    public void DeliveryFault(Exception exception, string taskId) => TaskLog.DeliveryFault(_logger, exception, taskId);

    /// <summary>
    /// The store failed to record a task's <paramref name="operation"/> (<c>spawn</c> or <c>end</c>).
    /// A durable store's persistence failures reach here through the manager's writes.
    /// </summary>
    public void PersistenceFault(Exception exception, string operation, string taskId)
    {
        if (_instruments.PersistenceFaults.Enabled)
        {
            _instruments.PersistenceFaults.Add(1, new KeyValuePair<string, object?>(BackgroundTaskTelemetry.OperationTag, operation));
        }

        TaskLog.PersistenceFault(_logger, exception, operation, taskId);
    }

    private static double DurationSeconds(TaskSummary terminal) =>
        terminal.CompletedAt is { } completedAt ? Math.Max(0, (completedAt - terminal.CreatedAt).TotalSeconds) : 0;

    private static KeyValuePair<string, object?> TypeTag(TaskSummary summary) =>
        new(BackgroundTaskTelemetry.TaskTypeTag, summary.TaskType);

    private static KeyValuePair<string, object?> StatusTag(TaskSummary summary) =>
        new(BackgroundTaskTelemetry.TaskStatusTag, summary.Status.AsString());
}
