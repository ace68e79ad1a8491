using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackgroundTasks.Orleans;

/// <summary>
/// The settings of every thread grain on a silo, and the registry of task bodies it can run. Copied when the silo
/// starts: changes made afterwards have no effect.
/// </summary>
/// <remarks>
/// Task bodies are code, so every silo of a cluster registers the same bodies under the same names: a plain task by
/// its task type (<see cref="AddTask"/>), a sub-agent by its agent kind (<see cref="AddAgent"/>). A spawn names the
/// body, never ships it.
/// </remarks>
public sealed class BackgroundTasksSiloOptions
{
    private readonly Dictionary<string, Func<TaskInvocation, TaskContext, Task<TaskResult>>> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<TaskInvocation, AgentTaskContext, Task<TaskResult>>> _agents = new(StringComparer.Ordinal);

    /// <summary>The name of the grain storage provider that keeps each thread's records. Default: <c>"BackgroundTasks"</c>.</summary>
    public string StorageName { get; set; } = "BackgroundTasks";

    /// <summary>
    /// The period of the reminder that a thread with live tasks keeps registered, so that a thread whose silo died is
    /// activated elsewhere and its orphaned records are marked. Default: one minute, Orleans' shortest reminder period
    /// unless <c>ReminderOptions.MinimumReminderPeriod</c> is lowered. Must be positive.
    /// </summary>
    public TimeSpan OrphanSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The per-thread manager's <see cref="BackgroundTaskManagerOptions.MaxRunningPerOwner"/>. Default: null, no limit.</summary>
    public int? MaxRunningPerOwner { get; set; }

    /// <summary>The per-thread manager's <see cref="BackgroundTaskManagerOptions.MaxQueuedPerOwner"/>. Default: null, no limit.</summary>
    public int? MaxQueuedPerOwner { get; set; }

    /// <summary>
    /// How long a deactivating thread grain waits for its cancelled bodies (the manager's
    /// <see cref="BackgroundTaskManagerOptions.ShutdownGrace"/>). Default: 30 seconds. Keep it below Orleans'
    /// <c>GrainCollectionOptions.DeactivationTimeout</c>, or Orleans gives up on the deactivation first.
    /// </summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many of a thread's latest events (the manager's <see cref="BackgroundTaskManagerOptions.EventReplayCapacityPerOwner"/>,
    /// for <c>ObserveThreadEvents</c>) and change sets (for <c>ConnectThread</c>) its grain keeps, so a subscriber that
    /// lost its connection resumes from them. Default: 1024. Must be at least 1.
    /// </summary>
    public int EventReplayCapacityPerOwner { get; set; } = 1024;

    internal IReadOnlyDictionary<string, Func<TaskInvocation, TaskContext, Task<TaskResult>>> Tasks => _tasks;

    internal IReadOnlyDictionary<string, Func<TaskInvocation, AgentTaskContext, Task<TaskResult>>> Agents => _agents;

    /// <summary>Registers the body of a plain task under its task type.</summary>
    /// <param name="taskType">The task type a spawn names; recorded as the task's <see cref="TaskSummary.TaskType"/>.</param>
    /// <param name="body">The body: the invocation (input, services, thread) and the usual task context.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taskType"/> or <paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="taskType"/> is empty or white space, or is already registered.</exception>
    public BackgroundTasksSiloOptions AddTask(string taskType, Func<TaskInvocation, TaskContext, Task<TaskResult>> body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskType);
        ArgumentNullException.ThrowIfNull(body);
        if (!_tasks.TryAdd(taskType, body))
        {
            throw new ArgumentException(OrleansMessages.TaskTypeRegisteredTwice(taskType), nameof(taskType));
        }

        return this;
    }

    /// <summary>Registers the body of a sub-agent under its agent kind.</summary>
    /// <param name="agentKind">The agent kind a spawn names. The record's task type is <c>sub_agent</c>, as in process.</param>
    /// <param name="body">The body: the invocation (input, services, thread) and the agent's context with its inbox.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="agentKind"/> or <paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="agentKind"/> is empty or white space, or is already registered.</exception>
    public BackgroundTasksSiloOptions AddAgent(string agentKind, Func<TaskInvocation, AgentTaskContext, Task<TaskResult>> body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentKind);
        ArgumentNullException.ThrowIfNull(body);
        if (!_agents.TryAdd(agentKind, body))
        {
            throw new ArgumentException(OrleansMessages.AgentKindRegisteredTwice(agentKind), nameof(agentKind));
        }

        return this;
    }

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentException"><see cref="StorageName"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(StorageName, nameof(StorageName));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OrphanSweepInterval, TimeSpan.Zero, nameof(OrphanSweepInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(EventReplayCapacityPerOwner, 1, nameof(EventReplayCapacityPerOwner));

        // The manager's own rules, checked here so a bad value fails the silo's start rather than every activation.
        if (MaxRunningPerOwner is { } running)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(running, 1, nameof(MaxRunningPerOwner));
        }

        if (MaxQueuedPerOwner is { } queued)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(queued, 1, nameof(MaxQueuedPerOwner));
        }

        if (ShutdownGrace != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownGrace, TimeSpan.Zero, nameof(ShutdownGrace));
        }
    }

    /// <summary>The options of one thread's manager; clock and logger come from the silo.</summary>
    internal BackgroundTaskManagerOptions ManagerOptions(TimeProvider? timeProvider = null, ILogger? logger = null) => new()
    {
        TimeProvider = timeProvider ?? TimeProvider.System,
        Logger = logger ?? NullLogger.Instance,
        MaxRunningPerOwner = MaxRunningPerOwner,
        MaxQueuedPerOwner = MaxQueuedPerOwner,
        ShutdownGrace = ShutdownGrace,
        EventReplayCapacityPerOwner = EventReplayCapacityPerOwner,
    };

    /// <summary>A copy whose registries are frozen from now on.</summary>
    internal BackgroundTasksSiloOptions Copy()
    {
        var copy = new BackgroundTasksSiloOptions
        {
            StorageName = StorageName,
            OrphanSweepInterval = OrphanSweepInterval,
            MaxRunningPerOwner = MaxRunningPerOwner,
            MaxQueuedPerOwner = MaxQueuedPerOwner,
            ShutdownGrace = ShutdownGrace,
            EventReplayCapacityPerOwner = EventReplayCapacityPerOwner,
        };
        foreach (var (type, body) in _tasks)
        {
            copy._tasks.Add(type, body);
        }

        foreach (var (kind, body) in _agents)
        {
            copy._agents.Add(kind, body);
        }

        return copy;
    }
}
