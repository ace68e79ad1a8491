using System.Text.Json;

namespace BackgroundTasks;

/// <summary>What a sub-agent body gets: its id, its cancellation, its own inbox, and a way to report to its owner.</summary>
public sealed class AgentTaskContext
{
    private readonly BodyScope _scope;

    internal AgentTaskContext(BodyScope scope)
    {
        _scope = scope;
        (InboxSender, Inbox) = scope.Runtime.AgentInbox!;
    }

    /// <summary>The id of the running sub-agent task.</summary>
    public string TaskId => _scope.TaskId;

    /// <summary>
    /// Signalled when the sub-agent is cancelled (alone, by tree, thread or run, or by the manager's disposal), or the
    /// attempt's <see cref="SpawnOptions.Timeout"/> or <see cref="SpawnOptions.HeartbeatTimeout"/> passes.
    /// </summary>
    public CancellationToken CancellationToken => _scope.CancellationToken;

    /// <summary>Whether cancellation has been requested.</summary>
    public bool IsCancellationRequested => _scope.CancellationToken.IsCancellationRequested;

    /// <summary>Reports how far the task has come: its record's <see cref="TaskSummary.Progress"/> becomes this.</summary>
    /// <param name="fraction">Done so far, from 0 to 1; null when the body cannot tell.</param>
    /// <param name="message">What the body is doing now, for people; null for none.</param>
    /// <remarks>
    /// An Update for <see cref="BackgroundTaskManager.Connect"/> and <see cref="BackgroundTaskManager.Watch"/> observers;
    /// the newest report wins. With a store in memory the record changes before the call returns; a durable store
    /// coalesces reports (at most one write in flight per task) and does not wait for the disk. The terminal record
    /// keeps the last progress. A report after the task (or its attempt) has ended is ignored. Each call is a sign of
    /// life for <see cref="SpawnOptions.HeartbeatTimeout"/>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is NaN or outside [0, 1].</exception>
    public void ReportProgress(double? fraction, string? message = null) =>
        _scope.ReportProgress(ProgressReporter.Validated(fraction, message));

    /// <summary>Sends into this agent's own inbox; bind it as the owner inbox of the agent's nested children.</summary>
    public InboxSender InboxSender { get; }

    /// <summary>This agent's own inbox: messages from its parent and events of its nested children.</summary>
    /// <remarks>The inbox is closed when the task ends (after its last attempt), not between attempts.</remarks>
    public InboxReceiver Inbox { get; }

    /// <summary>A task that completes (successfully) when cancellation is requested.</summary>
    /// <returns>The same task on every call.</returns>
    public Task WhenCancelled() => _scope.WhenCancelled();

    /// <summary>A sign of life, nothing more: it keeps the attempt's <see cref="SpawnOptions.HeartbeatTimeout"/> from passing.</summary>
    public void Heartbeat() => _scope.SignOfLife();

    /// <inheritdoc cref="TaskContext.Emit(string, JsonElement)"/>
    public bool Emit(string eventType, JsonElement payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        return _scope.Emit(eventType, payload);
    }

    /// <inheritdoc cref="TaskContext.Emit{T}(string, T)"/>
    public bool Emit<T>(string eventType, T payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        return _scope.Emit(eventType, JsonSerializer.SerializeToElement(payload));
    }
}
