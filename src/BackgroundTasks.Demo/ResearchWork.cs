namespace BackgroundTasks.Demo;

/// <summary>
/// The in-process task bodies: research sub-agents (<see cref="ResearchAgent"/>) whose fetch and summarise tasks are
/// spawned on the manager, each with its body as a delegate.
/// </summary>
internal sealed class ResearchWork(BackgroundTaskManager manager, string ownerThreadId, double timeScale, Action<string> narrate) : IResearchThread
{
    private readonly TaskCompletionSource _kickoff = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the agents start work; until then they wait, so the lead's agents get the first ids.</summary>
    public void Kickoff() => _kickoff.TrySetResult();

    /// <summary>The body of a research sub-agent.</summary>
    public Func<AgentTaskContext, Task<TaskResult>> Agent(ResearchPlan plan) => context => RunAgentAsync(context, plan);

    public Task<string> SpawnFetchAsync(SourcePlan source, string topic) =>
        manager.SpawnAsync(ownerThreadId, "fetch", null, ResearchAgent.FetchDescription(source, topic), TaskParentContext.None,
            fetch => ResearchAgent.FetchAsync(fetch, source, timeScale));

    public Task<string> SpawnSummariseAsync(string topic, int pages) =>
        manager.SpawnAsync(ownerThreadId, "summarise", null, ResearchAgent.SummariseDescription(topic, pages), TaskParentContext.None,
            summarise => ResearchAgent.SummariseAsync(summarise, topic, pages, timeScale));

    public Task<TaskSummary> WaitAsync(string taskId, CancellationToken cancellationToken) => manager.WaitAsync(taskId, cancellationToken);

    private async Task<TaskResult> RunAgentAsync(AgentTaskContext context, ResearchPlan plan)
    {
        await _kickoff.Task.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        return await ResearchAgent.RunAsync(context, plan, this, narrate).ConfigureAwait(false);
    }
}
