using System.Text.Json;
using BackgroundTasks.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace BackgroundTasks.Demo.Cluster;

/// <summary>
/// The research bodies every silo of the demo's cluster registers by name: the agent kind <c>researcher</c> (its
/// input: a <see cref="ResearchPlan"/>) and the task types <c>fetch</c> (a <see cref="SourcePlan"/>) and
/// <c>summarise</c>. The same <see cref="ResearchAgent"/> as in process; its children are spawned through the
/// thread's grain.
/// </summary>
internal static class ClusterBodies
{
    public const string Researcher = "researcher";

    /// <summary>The custom event a researcher emits first: the silo its thread's grain runs on.</summary>
    public const string PlacedEvent = "placed";

    public static void Register(BackgroundTasksSiloOptions options, double timeScale) => options
        .AddAgent(Researcher, (invocation, context) =>
        {
            var plan = invocation.Input.Deserialize<ResearchPlan>()!;
            context.Emit(PlacedEvent, new { silo = invocation.Services.GetRequiredService<ILocalSiloDetails>().Name });
            return ResearchAgent.RunAsync(context, plan, new GrainThread(invocation),
                text => context.Emit(TaskBoard.NarrationEvent, new { note = text }));
        })
        .AddTask("fetch", (invocation, context) =>
            ResearchAgent.FetchAsync(context, invocation.Input.GetProperty("source").Deserialize<SourcePlan>()!, timeScale))
        .AddTask("summarise", (invocation, context) =>
            ResearchAgent.SummariseAsync(context, invocation.Input.GetProperty("topic").GetString()!, invocation.Input.GetProperty("pages").GetInt32(), timeScale));

    /// <summary>A researcher's thread as its grain: children are spawned through it, and awaited with no call timeout.</summary>
    private sealed class GrainThread(TaskInvocation invocation) : IResearchThread
    {
        public Task<string> SpawnFetchAsync(SourcePlan source, string topic) =>
            invocation.Thread.SpawnAsync("fetch", null, ResearchAgent.FetchDescription(source, topic), TaskParentContext.None,
                JsonSerializer.SerializeToElement(new { source }));

        public Task<string> SpawnSummariseAsync(string topic, int pages) =>
            invocation.Thread.SpawnAsync("summarise", null, ResearchAgent.SummariseDescription(topic, pages), TaskParentContext.None,
                JsonSerializer.SerializeToElement(new { topic, pages }));

        public Task<TaskSummary> WaitAsync(string taskId, CancellationToken cancellationToken) =>
            invocation.Services.GetRequiredService<IGrainFactory>().WaitAsync(invocation.OwnerThreadId, taskId, cancellationToken);
    }
}
