using System.Globalization;
using System.Text.Json;
using BackgroundTasks.Orleans;
using Orleans;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace BackgroundTasks.Demo.Cluster;

/// <summary>
/// The lead's script across the cluster: each research agent gets a conversation thread of its own, so its grain
/// (and its tasks) can live on any silo. As in process, the lead messages market midway and cancels papers' subtree
/// once a source rate-limits it; with <c>--kill-silo</c> it first kills market's silo, waits to see market's
/// running tasks come back as orphans on another silo, and respawns market there.
/// </summary>
internal sealed class ClusterScenario(DemoCluster cluster, bool killSilo, Action<string> narrate, Action<string> onLine, long started)
{
    private const string Lead = "lead";

    /// <summary>What the run showed: set by <see cref="RunAsync"/>.</summary>
    public IReadOnlyList<ClusterThread> Threads { get; private set; } = [];

    public async Task<bool> RunAsync()
    {
        var client = cluster.Client;
        var threads = ResearchScenario.Plans.Select(plan => new ClusterThread(client, plan)).ToList();
        Threads = threads;
        var (market, papers, patents) = (threads[0], threads[1], threads[2]);
        for (var i = 0; i < threads.Count; i++)
        {
            await PlaceAsync(threads[i], PreferredSilo(i)).ConfigureAwait(false);
            threads[i].Connect(onLine, started);
        }

        narrate("cluster: " + string.Join(", ", threads.Select(thread => $"{thread.Plan.Name} on {thread.Hosts[0]}")));
        if (killSilo)
        {
            narrate("cluster: (market alone on the last silo, so the primary is spared)");
        }

        // Subscribed before anything is spawned; the grains replay what happened before anyway (afterSequence: 0).
        var marketHalfway = market.FirstCustomAsync(e => e.EventType == "progress" && e.Payload.GetProperty("percent").GetInt32() >= 40);
        var papersStalled = papers.FirstCustomAsync(e => e.EventType == "rate_limited");

        narrate($"{Lead}: researching \"AI agent runtimes\" in {threads.Count} threads, one agent each");
        foreach (var thread in threads)
        {
            thread.AgentId = await SpawnAgentAsync(thread).ConfigureAwait(false);
        }

        await marketHalfway.WaitAsync(ResearchScenario.Guard).ConfigureAwait(false);
        var recovered = !killSilo || await KillAndRespawnAsync(market).ConfigureAwait(false);
        narrate($"{Lead} -> {market.AgentId} (market): message \"{ResearchScenario.Guidance}\"");
        await market.Grain.SendTaskInboxMessageAsync(market.AgentId, Lead, ResearchScenario.Guidance).ConfigureAwait(false);

        await papersStalled.WaitAsync(ResearchScenario.Guard).ConfigureAwait(false);
        narrate($"{Lead}: papers is stuck behind a rate limit; cancelling its subtree");
        var signalled = await papers.Grain.CancelTreeAsync(papers.AgentId).ConfigureAwait(false);
        narrate($"{Lead}: CancelTreeAsync({papers.AgentId}) on {papers.ThreadId}, {signalled} task(s) signalled");

        var outcomes = new Dictionary<string, BackgroundTaskStatus>(StringComparer.Ordinal);
        foreach (var thread in threads)
        {
            var result = await client.WaitAsync(thread.ThreadId, thread.AgentId).WaitAsync(ResearchScenario.Guard).ConfigureAwait(false);
            outcomes[thread.Plan.Name] = result.Status;
            var detail = result.Result?.GetProperty("summary").GetString() ?? result.Error ?? string.Empty;
            narrate($"{Lead}: WaitAsync({thread.AgentId}) -> {thread.Plan.Name} {result.Status.AsString()} {detail}".TrimEnd());

            // The table is drawn from the board: let it catch up with the agent's end (its children ended before it).
            await thread.Board.WhenAsync(rows => rows.Any(row => row.TaskId == thread.AgentId && row.Summary.Status.IsTerminal())
                && rows.All(row => row.Summary.Status.IsTerminal()), ResearchScenario.Guard).ConfigureAwait(false);
        }

        return recovered
            && outcomes[market.Plan.Name] == BackgroundTaskStatus.Completed
            && outcomes[papers.Plan.Name] == BackgroundTaskStatus.Cancelled
            && outcomes[patents.Plan.Name] == BackgroundTaskStatus.Completed;
    }

    /// <summary>
    /// Where thread <paramref name="index"/> should live: market (the thread <c>--kill-silo</c> kills the host of) on the
    /// last silo, alone, so the kill takes no other thread with it and never the primary; the others round-robin over
    /// the rest.
    /// </summary>
    private DemoSilo PreferredSilo(int index)
    {
        var silos = cluster.Silos;
        return silos.Count == 1 ? silos[0] : index == 0 ? silos[^1] : silos[(index - 1) % (silos.Count - 1)];
    }

    /// <summary>
    /// Activates the thread's grain with a first call carrying Orleans' placement hint, and asks Orleans' management
    /// grain where the activation went.
    /// </summary>
    private async Task PlaceAsync(ClusterThread thread, DemoSilo silo)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo.Address);
        try
        {
            await thread.Grain.HasRunningAsync().ConfigureAwait(false);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }

        thread.Hosts.Add(await HostOfAsync(thread).ConfigureAwait(false));
    }

    private async Task<string> HostOfAsync(ClusterThread thread) =>
        cluster.NameOf(await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(thread.Grain).ConfigureAwait(false));

    private static Task<string> SpawnAgentAsync(ClusterThread thread) =>
        thread.Grain.SpawnAgentAsync(ClusterBodies.Researcher, thread.Plan.Name, $"research {thread.Plan.Topic}", TaskParentContext.None,
            JsonSerializer.SerializeToElement(thread.Plan));

    /// <summary>Kills the thread's silo, waits for its live tasks to come back as orphans elsewhere, and respawns its agent.</summary>
    private async Task<bool> KillAndRespawnAsync(ClusterThread thread)
    {
        var victim = cluster.Silos.Single(silo => silo.Name == thread.Hosts[^1]);
        if (victim.IsPrimary)
        {
            narrate($"cluster: {thread.ThreadId} is on the primary {victim.Name}, which is never killed");
            return false;
        }

        narrate($"cluster: kill {victim.Name} ({thread.ThreadId}'s host): stop without grace");
        narrate("cluster: (in process: StopAsync with a cancelled token, no kill -9)");
        await cluster.KillAsync(victim).ConfigureAwait(false);

        // The agent waits for the lead's message, so it was running: it (and any fetch still running) must come back
        // Failed as an orphan, recorded by the thread's new activation on another silo.
        await thread.Board.WhenAsync(rows => rows.Any(IsOrphan) && rows.All(row => row.Summary.Status.IsTerminal()), ResearchScenario.Guard)
            .ConfigureAwait(false);
        var rows = thread.Board.Rows;
        var orphans = rows.Where(IsOrphan).Select(row => row.TaskId).ToList();
        var host = await HostOfAsync(thread).ConfigureAwait(false);
        thread.Hosts.Add(host);
        narrate(string.Create(CultureInfo.InvariantCulture,
            $"cluster: {thread.ThreadId} back on {host}; orphaned: {string.Join(", ", orphans)}"));

        var last = rows.Max(row => IdNumber(row.TaskId));
        thread.AgentId = await SpawnAgentAsync(thread).ConfigureAwait(false);
        narrate($"{Lead}: respawned market as {thread.AgentId} on {host} (ids go on after bg_{last})");
        return host != victim.Name && IdNumber(thread.AgentId) == last + 1;
    }

    internal static bool IsOrphan(TaskRow row) =>
        row.Summary.Status == BackgroundTaskStatus.Failed && row.Summary.Error == BackgroundTaskManager.OrphanedTaskError;

    private static int IdNumber(string taskId) => int.Parse(taskId.AsSpan("bg_".Length), CultureInfo.InvariantCulture);
}
