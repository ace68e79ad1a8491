using System.Text.Json;
using Orleans;
using Orleans.Concurrency;

namespace BackgroundTasks.Orleans;

/// <summary>
/// One owner thread (conversation) of background tasks, hosted by whichever silo Orleans places it on. Key: the
/// owner thread id.
/// </summary>
/// <remarks>
/// <para>
/// The grain runs a <see cref="BackgroundTaskManager"/> over a durable store for its thread. Task bodies run on the
/// thread pool of the hosting silo, never on the grain's scheduler, so a long body blocks no call. Spawns are
/// processed one at a time, in order; cancels, sends, queries and waits interleave with everything.
/// </para>
/// <para>
/// Errors reach the caller as in process: <see cref="SpawnException"/> and <see cref="SendException"/> with their
/// <c>Error</c> and other properties, <see cref="ArgumentException"/> for bad input and unregistered bodies.
/// </para>
/// </remarks>
public interface IBackgroundTaskThreadGrain : IGrainWithStringKey
{
    /// <summary>Spawns a plain task whose body is registered under <paramref name="taskType"/> on the hosting silo.</summary>
    /// <param name="taskType">The registered task type; the record's task type.</param>
    /// <param name="name">An optional name, unique among the thread's live tasks.</param>
    /// <param name="description">What the task does.</param>
    /// <param name="parentContext">Lineage; a null TaskId is filled with the calling body's task when the call comes from one of this thread's bodies.</param>
    /// <param name="input">Handed to the body as <see cref="TaskInvocation.Input"/>.</param>
    /// <param name="options">Timeouts, retries, parent-close policy; null means the defaults. A retry policy's ShouldRetry cannot cross the wire.</param>
    /// <returns>The task id (<c>bg_N</c>), once the Running (or Queued) record is stored.</returns>
    /// <exception cref="ArgumentException">No body is registered for <paramref name="taskType"/> on the hosting silo (nothing is recorded), a retry policy has ShouldRetry, or an argument is invalid.</exception>
    /// <exception cref="SpawnException">The manager refused the spawn; <see cref="SpawnException.Error"/> says why.</exception>
    Task<string> SpawnAsync(string taskType, string? name, string description, TaskParentContext parentContext,
        JsonElement input, SpawnOptions? options = null);

    /// <summary>Spawns a sub-agent whose body is registered under <paramref name="agentKind"/>; its record's task type is <c>sub_agent</c>.</summary>
    /// <param name="agentKind">The registered agent kind.</param>
    /// <param name="name">An optional name, unique among the thread's live tasks.</param>
    /// <param name="description">What the agent does.</param>
    /// <param name="parentContext">Lineage, as for <see cref="SpawnAsync"/>.</param>
    /// <param name="input">Handed to the body as <see cref="TaskInvocation.Input"/>.</param>
    /// <param name="options">As for <see cref="SpawnAsync"/>.</param>
    /// <returns>The task id, once its record is stored.</returns>
    /// <exception cref="ArgumentException">No body is registered for <paramref name="agentKind"/> on the hosting silo (nothing is recorded), or an argument is invalid.</exception>
    /// <exception cref="SpawnException">The manager refused the spawn.</exception>
    Task<string> SpawnAgentAsync(string agentKind, string? name, string description, TaskParentContext parentContext,
        JsonElement input, SpawnOptions? options = null);

    /// <summary>Signals one task's cancellation.</summary>
    /// <param name="taskId">The task id.</param>
    /// <returns>False when the id is unknown or the task already ended.</returns>
    [AlwaysInterleave]
    Task<bool> CancelAsync(string taskId);

    /// <summary>Signals the cancellation of a task and of its live descendants.</summary>
    /// <param name="taskId">The root task id.</param>
    /// <returns>How many live tasks were signalled.</returns>
    [AlwaysInterleave]
    Task<int> CancelTreeAsync(string taskId);

    /// <summary>Signals the cancellation of every live task of this thread.</summary>
    /// <returns>How many live tasks were signalled.</returns>
    [AlwaysInterleave]
    Task<int> CancelAllAsync();

    /// <summary>Cancels the trees of a run's top-level tasks; later spawns for that run fail with <see cref="SpawnError.ParentRunCancelled"/>.</summary>
    /// <param name="parentRunId">The agent run.</param>
    /// <returns>How many live tasks were signalled.</returns>
    [AlwaysInterleave]
    Task<int> CancelDescendantsForRunAsync(string parentRunId);

    /// <summary>Every record of this thread.</summary>
    /// <returns>The records, in spawn order.</returns>
    [AlwaysInterleave]
    Task<IReadOnlyList<TaskSummary>> ListAsync();

    /// <summary>One record of this thread.</summary>
    /// <param name="taskId">The task id.</param>
    /// <returns>The record, or null for an unknown id.</returns>
    [AlwaysInterleave]
    Task<TaskSummary?> GetAsync(string taskId);

    /// <summary>Whether any task of this thread is live (Running or Queued).</summary>
    /// <returns>True while a task is live.</returns>
    [AlwaysInterleave]
    Task<bool> HasRunningAsync();

    /// <summary>Delivers an <c>agent_message</c> to a live sub-agent of this thread.</summary>
    /// <param name="taskId">The sub-agent's task id.</param>
    /// <param name="senderAgentId">Who sends it.</param>
    /// <param name="content">The message.</param>
    /// <returns>A task that completes once the message is in the agent's inbox.</returns>
    /// <exception cref="SendException">It cannot be delivered; <see cref="SendException.Error"/> says why.</exception>
    [AlwaysInterleave]
    Task SendTaskInboxMessageAsync(string taskId, string senderAgentId, string content);

    /// <summary>
    /// The transport of <see cref="BackgroundTasksClientExtensions.ConnectThread"/>: this activation's changes after
    /// a cursor, or a snapshot when the cursor is from another activation or too old. Use <c>ConnectThread</c>.
    /// </summary>
    /// <param name="cursor">Where the caller is; <see cref="ThreadCursor.None"/> to start with a snapshot.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>Batches in version order; the stream ends when the activation deactivates.</returns>
    [AlwaysInterleave]
    IAsyncEnumerable<ThreadChangeBatch> ConnectAsync(ThreadCursor cursor, CancellationToken cancellationToken = default);

    /// <summary>
    /// The transport of <see cref="BackgroundTasksClientExtensions.ObserveThreadEvents"/>: this activation's events of
    /// the thread. Use <c>ObserveThreadEvents</c>.
    /// </summary>
    /// <param name="epoch">The activation the caller last reached, or null.</param>
    /// <param name="afterSequence">
    /// Null: live events only. A number: the retained events after it, then live ones; from another activation (an
    /// <paramref name="epoch"/> that is not this one's), every retained event of this one.
    /// </param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>A first item that names this activation, then its events; the stream ends when the activation deactivates.</returns>
    /// <exception cref="EventsExpiredException">An event after <paramref name="afterSequence"/> is no longer retained.</exception>
    [AlwaysInterleave]
    IAsyncEnumerable<ThreadEvent> ObserveEventsAsync(string? epoch, long? afterSequence, CancellationToken cancellationToken = default);

    /// <summary>
    /// The transport of <see cref="BackgroundTasksClientExtensions.WaitAsync"/>: waits up to <paramref name="maxWait"/>
    /// for a task to end. Use <c>WaitAsync</c>, which repeats this bounded poll for as long as it takes.
    /// </summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="maxWait">The longest wait, below the grain-call timeout.</param>
    /// <returns>The terminal record, or null if the task is still live after <paramref name="maxWait"/>.</returns>
    /// <exception cref="KeyNotFoundException">This thread has no such task.</exception>
    [AlwaysInterleave]
    Task<TaskSummary?> PollTerminalAsync(string taskId, TimeSpan maxWait);
}
