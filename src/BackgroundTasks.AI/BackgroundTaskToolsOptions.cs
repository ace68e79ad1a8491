namespace BackgroundTasks.AI;

/// <summary>Settings of a <see cref="BackgroundTaskTools"/> instance.</summary>
/// <remarks>The tools copy these values when they are created; later changes have no effect on them.</remarks>
public sealed class BackgroundTaskToolsOptions
{
    /// <summary>The kinds of sub-agent the model may start, by kind (the <c>agent</c> argument of <c>spawn_agent</c>).</summary>
    /// <remarks>Ordinal, case-sensitive keys. Empty by default; with no kind registered every spawn is <c>unknown_agent</c>.</remarks>
    public IDictionary<string, SubAgentDefinition> Agents { get; } = new Dictionary<string, SubAgentDefinition>(StringComparer.Ordinal);

    /// <summary>The longest one <c>task_wait</c> call may wait, whatever timeout the model asks for. Default 30 seconds.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The agent run whose lineage (<see cref="TaskParentContext.RunId"/>) the spawned sub-agents carry; null for none.</summary>
    /// <remarks>With a run id, <see cref="BackgroundTaskManager.CancelDescendantsForRunAsync"/> stops them all.</remarks>
    public string? RunId { get; init; }

    /// <summary>The clock of <c>task_wait</c>'s timeout. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The longest task text or message, in characters, the model may pass. Default 32,768.</summary>
    public int MaxTextLength { get; init; } = 32_768;

    /// <summary>The most task ids one <c>task_wait</c> call may name. Default 64.</summary>
    public int MaxTaskIds { get; init; } = 64;
}
