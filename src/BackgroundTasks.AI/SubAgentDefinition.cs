namespace BackgroundTasks.AI;

/// <summary>A kind of sub-agent the model may start with <c>spawn_agent</c>.</summary>
/// <param name="Description">What this kind of agent does, shown to the model in the tool's description.</param>
/// <param name="Body">
/// The agent's work: it gets the model's task text and the sub-agent's context (its id, cancellation and inbox,
/// where <c>send_message</c> delivers), and returns the task's result.
/// </param>
public sealed record SubAgentDefinition(string Description, Func<string, AgentTaskContext, Task<TaskResult>> Body)
{
    /// <summary>The runtime controls (timeout, heartbeat, retries, parent-close policy) of every agent of this kind.</summary>
    /// <remarks>Default <see cref="BackgroundTasks.SpawnOptions.Default"/>: none.</remarks>
    public SpawnOptions SpawnOptions { get; init; } = SpawnOptions.Default;
}
