using System.Text.Json;

namespace BackgroundTasks;

/// <summary>What a plain task body gets: its id, its cancellation, and a way to report progress.</summary>
public sealed class TaskContext
{
    private readonly TaskRuntime _runtime;

    internal TaskContext(TaskRuntime runtime) => _runtime = runtime;

    /// <summary>The id of the running task.</summary>
    public string TaskId => _runtime.TaskId;

    /// <summary>Signalled when the task, its tree, its thread or its run is cancelled, or the manager is disposed.</summary>
    public CancellationToken CancellationToken => _runtime.CancellationToken;

    /// <summary>Whether cancellation has been requested.</summary>
    public bool IsCancellationRequested => _runtime.CancellationToken.IsCancellationRequested;

    /// <summary>A task that completes (successfully) when cancellation is requested.</summary>
    /// <returns>The same task on every call.</returns>
    public Task WhenCancelled() => _runtime.WhenCancelled();

    /// <summary>Reports how far the task has come: its record's <see cref="TaskSummary.Progress"/> becomes this.</summary>
    /// <param name="fraction">Done so far, from 0 to 1; null when the body cannot tell.</param>
    /// <param name="message">What the body is doing now, for people; null for none.</param>
    /// <remarks>
    /// An Update for <see cref="BackgroundTaskManager.Connect"/> and <see cref="BackgroundTaskManager.Watch"/> observers;
    /// the newest report wins. With a store in memory the record changes before the call returns; a durable store
    /// coalesces reports (at most one write in flight per task) and does not wait for the disk. The terminal record
    /// keeps the last progress. A report after the task has ended is ignored.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is NaN or outside [0, 1].</exception>
    public void ReportProgress(double? fraction, string? message = null) =>
        _runtime.ReportProgress(ProgressReporter.Validated(fraction, message));

    /// <summary>Pushes a <see cref="TaskEvent.Custom"/> to the owner inbox bound at spawn time and to <see cref="BackgroundTaskManager.Events"/>.</summary>
    /// <param name="eventType">The kind of event, such as "progress".</param>
    /// <param name="payload">The event's payload; it is cloned, so the caller may dispose its document.</param>
    /// <returns>
    /// <see langword="true"/> when the owner inbox took the event; <see langword="false"/> when no owner
    /// inbox is bound, it is closed, or the task has already ended (then the event goes nowhere).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> is null or empty.</exception>
    /// <remarks>Events of one task arrive in emit order, and none arrives after the task's terminal event.</remarks>
    public bool Emit(string eventType, JsonElement payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        return _runtime.Events.Publish(new TaskEvent.Custom(_runtime.TaskId, eventType, payload.Clone()));
    }

    /// <summary>As <see cref="Emit(string, JsonElement)"/>, with the payload serialized by System.Text.Json.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="eventType">The kind of event, such as "progress".</param>
    /// <param name="payload">The payload to serialize.</param>
    /// <returns>Whether the owner inbox took the event.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> is null or empty.</exception>
    /// <exception cref="NotSupportedException"><paramref name="payload"/> cannot be serialized.</exception>
    public bool Emit<T>(string eventType, T payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        return Emit(eventType, JsonSerializer.SerializeToElement(payload));
    }
}
