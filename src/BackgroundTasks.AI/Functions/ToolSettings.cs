namespace BackgroundTasks.AI;

/// <summary>What every tool of one <see cref="BackgroundTaskTools"/> instance shares, copied from its options.</summary>
internal sealed record ToolSettings(
    ThreadScope Scope,
    string AgentId,
    string? RunId,
    IReadOnlyDictionary<string, SubAgentDefinition> Agents,
    TimeSpan MaxWait,
    TimeProvider TimeProvider,
    int MaxTextLength,
    int MaxTaskIds)
{
    /// <summary>The longest task id, name or agent kind a model may pass; ids are <c>bg_N</c>, names are short.</summary>
    public const int MaxIdLength = 200;
}
