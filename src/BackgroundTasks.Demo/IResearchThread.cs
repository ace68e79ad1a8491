namespace BackgroundTasks.Demo;

/// <summary>
/// Where a research agent spawns and awaits its children: the in-process manager (<see cref="ResearchWork"/>), or
/// the agent's thread grain on a silo (<see cref="Cluster.ClusterBodies"/>).
/// </summary>
internal interface IResearchThread
{
    Task<string> SpawnFetchAsync(SourcePlan source, string topic);

    Task<string> SpawnSummariseAsync(string topic, int pages);

    Task<TaskSummary> WaitAsync(string taskId, CancellationToken cancellationToken);
}
