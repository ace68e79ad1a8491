using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;

namespace BackgroundTasks.Demo;

/// <summary>
/// The lead's script. It reacts to what its tasks report, never to the clock: it messages the market agent
/// once that agent's first fetch is 40% done, and cancels the papers agent's subtree once a source
/// rate-limits it.
/// </summary>
internal sealed class ResearchScenario(BackgroundTaskManager manager, TaskStateStore store, TaskBoard board, double timeScale)
{
    public const string OwnerThreadId = "lead";

    // A hang guard: the script reacts to events, and if one never comes the demo says so instead of hanging.
    internal static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    /// <summary>The message the lead sends the market agent midway.</summary>
    internal const string Guidance = "focus on 2024 pricing";

    /// <summary>The sub-agents the lead starts: market waits for its guidance, papers stalls, one of patents' sources fails.</summary>
    internal static readonly ResearchPlan[] Plans =
    [
        new("market", "agent runtime vendors",
            [new SourcePlan("analyst reports", Speed: 0.8), new SourcePlan("pricing pages", Speed: 1.1)], AwaitsGuidance: true),
        new("papers", "agent scheduling research",
            [new SourcePlan("arXiv", Speed: 1.2), new SourcePlan("ACL anthology", Speed: 0.7, StallAtPercent: 40)]),
        new("patents", "background task patents",
            [new SourcePlan("USPTO", Speed: 0.9), new SourcePlan("EPO", Speed: 1.0, FailAtPercent: 60)]),
    ];

    /// <summary>Runs the script; true when every agent ended as scripted.</summary>
    public async Task<bool> RunAsync()
    {
        // Subscribed before anything is spawned, so no event can slip by.
        var marketHalfway = FirstCustomAsync(e => e.EventType == "progress" && e.Payload.GetProperty("percent").GetInt32() >= 40
            && ParentName(e.TaskId) == "market");
        var papersStalled = FirstCustomAsync(e => e.EventType == "rate_limited" && ParentName(e.TaskId) == "papers");

        board.Narrate($"{OwnerThreadId}: researching \"AI agent runtimes\" with {Plans.Length} sub-agents");
        var work = new ResearchWork(manager, OwnerThreadId, timeScale, board.Narrate);
        var agents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var plan in Plans)
        {
            agents[plan.Name] = await manager.SpawnAgentWithContextAsync(OwnerThreadId, plan.Name, $"research {plan.Topic}",
                TaskParentContext.None, work.Agent(plan)).ConfigureAwait(false);
        }

        work.Kickoff();
        await marketHalfway.WaitAsync(Guard).ConfigureAwait(false);
        board.Narrate($"{OwnerThreadId} -> {agents["market"]} (market): message \"{Guidance}\"");
        await manager.SendTaskInboxMessageAsync(agents["market"], OwnerThreadId, OwnerThreadId, Guidance).ConfigureAwait(false);

        await papersStalled.WaitAsync(Guard).ConfigureAwait(false);
        board.Narrate($"{OwnerThreadId}: papers is stuck behind a rate limit; cancelling its subtree");
        var signalled = await manager.CancelTreeAsync(agents["papers"]).ConfigureAwait(false);
        board.Narrate($"{OwnerThreadId}: CancelTreeAsync({agents["papers"]}) cancelled subtree, {signalled} task(s) signalled");

        var outcomes = new Dictionary<string, BackgroundTaskStatus>(StringComparer.Ordinal);
        foreach (var (name, id) in agents)
        {
            var result = await manager.WaitAsync(id).WaitAsync(Guard).ConfigureAwait(false);
            outcomes[name] = result.Status;
            var detail = result.Result?.GetProperty("summary").GetString() ?? result.Error ?? string.Empty;
            board.Narrate($"{OwnerThreadId}: WaitAsync({id}) -> {name} {result.Status.AsString()} {detail}".TrimEnd());
        }

        return outcomes["market"] == BackgroundTaskStatus.Completed
            && outcomes["papers"] == BackgroundTaskStatus.Cancelled
            && outcomes["patents"] == BackgroundTaskStatus.Completed;
    }

    private Task<TaskEvent.Custom> FirstCustomAsync(Func<TaskEvent.Custom, bool> predicate) =>
        manager.Events.OfType<TaskEvent.Custom>().Where(predicate).FirstAsync().ToTask();

    private string? ParentName(string taskId) =>
        store.Lookup(taskId)?.ParentContext.TaskId is { } parentId ? store.Lookup(parentId)?.Name : null;
}
