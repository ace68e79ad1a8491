using Microsoft.Extensions.AI;

namespace BackgroundTasks.AI;

/// <summary>
/// The tools a model uses to run background sub-agents, as <see cref="AIFunction"/>s for any <see cref="IChatClient"/>
/// with function invocation: <c>spawn_agent</c>, <c>task_status</c>, <c>task_list</c>, <c>task_wait</c>,
/// <c>task_cancel</c> and <c>send_message</c>.
/// </summary>
/// <remarks>
/// <para>
/// Create one per conversation. The owner thread and the agent come from here, never from the model's arguments: a
/// model cannot reach another thread's tasks, which look exactly like unknown ids.
/// </para>
/// <para>
/// Every answer is a JSON object (a <see cref="System.Text.Json.JsonElement"/>), errors included, so the function loop goes
/// on: missing, mistyped or oversized arguments give <c>{"error": "invalid_arguments", "message": "..."}</c>. Only the
/// caller's own cancellation propagates out of a tool.
/// </para>
/// </remarks>
public sealed class BackgroundTaskTools
{
    /// <summary>Creates the tools of one conversation.</summary>
    /// <param name="manager">The manager that runs the tasks.</param>
    /// <param name="ownerThreadId">The conversation's owner thread: the tools see and start only its tasks.</param>
    /// <param name="agentId">The agent that uses the tools: the sender of its messages and the lineage of what it spawns.</param>
    /// <param name="options">The agent kinds and limits; copied now.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> or <paramref name="agentId"/> is empty, or an agent kind is empty or has a null definition or body.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit of <paramref name="options"/> is out of range.</exception>
    public BackgroundTaskTools(BackgroundTaskManager manager, string ownerThreadId, string agentId, BackgroundTaskToolsOptions options)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentException.ThrowIfNullOrEmpty(ownerThreadId);
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        if (options.MaxWait <= TimeSpan.Zero || options.MaxWait.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxWait, Messages.InvalidMaxWait(options.MaxWait));
        }

        CheckLimit(nameof(options.MaxTextLength), options.MaxTextLength);
        CheckLimit(nameof(options.MaxTaskIds), options.MaxTaskIds);
        var agents = new Dictionary<string, SubAgentDefinition>(StringComparer.Ordinal);
        foreach (var (kind, definition) in options.Agents)
        {
            ArgumentException.ThrowIfNullOrEmpty(kind, nameof(options));
            if (definition?.Body is null || definition.Description is null || definition.SpawnOptions is null)
            {
                throw new ArgumentException(Messages.NullAgent(kind), nameof(options));
            }

            agents.Add(kind, definition);
        }

        var settings = new ToolSettings(new ThreadScope(manager, manager.ForThread(ownerThreadId)), agentId, options.RunId, agents,
            options.MaxWait, options.TimeProvider, options.MaxTextLength, options.MaxTaskIds);
        Functions =
        [
            new SpawnAgentFunction(settings),
            new TaskStatusFunction(settings),
            new TaskListFunction(settings),
            new TaskWaitFunction(settings),
            new TaskCancelFunction(settings),
            new SendMessageFunction(settings),
        ];
    }

    /// <summary>The six functions, to put in <see cref="ChatOptions.Tools"/>.</summary>
    public IReadOnlyList<AIFunction> Functions { get; }

    private static void CheckLimit(string option, int value)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(option, value, Messages.InvalidLimit(option, value));
        }
    }
}
