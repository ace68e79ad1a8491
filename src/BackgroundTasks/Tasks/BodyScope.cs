using System.Text.Json;

namespace BackgroundTasks;

/// <summary>
/// What both body contexts share: the task's runtime and, for an attempt with timeouts, that attempt. The token,
/// <c>WhenCancelled</c> and signs of life are the attempt's, so a timed-out attempt's body keeps its cancelled token
/// while the next attempt gets a fresh one.
/// </summary>
internal readonly struct BodyScope(TaskRuntime runtime, TaskAttempt? attempt)
{
    public TaskRuntime Runtime => runtime;

    public string TaskId => runtime.TaskId;

    public CancellationToken CancellationToken => attempt?.Token ?? runtime.CancellationToken;

    public Task WhenCancelled() => attempt?.WhenCancelled() ?? runtime.WhenCancelled();

    /// <summary>
    /// The one hook every sign of life calls (Emit, Heartbeat, and ReportProgress when it comes): the heartbeat
    /// deadline is re-checked lazily when it fires, so this only stores a timestamp.
    /// </summary>
    public void SignOfLife() => attempt?.SignOfLife();

    /// <summary>A progress report: a sign of life, then the task's record; ignored from an attempt that is over.</summary>
    public void ReportProgress(TaskProgress progress)
    {
        SignOfLife();
        if (attempt is { IsOver: true })
        {
            return;
        }

        runtime.ReportProgress(progress);
    }

    public bool Emit(string eventType, JsonElement payload)
    {
        SignOfLife();

        // A timed-out attempt's body may still be running; what it emits belongs to an attempt that is over.
        if (attempt is { IsOver: true })
        {
            return false;
        }

        return runtime.Events.Publish(new TaskEvent.Custom(runtime.TaskId, eventType, payload.Clone()));
    }
}
