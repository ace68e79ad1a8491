using System.Globalization;

namespace BackgroundTasks.Demo;

/// <summary>
/// The task bodies: a research sub-agent that spawns fetch tasks, reacts to its lead's message and then
/// spawns a summarise task. <c>Task.Delay</c> stands in for real I/O.
/// </summary>
internal sealed class ResearchWork(BackgroundTaskManager manager, string ownerThreadId, double timeScale, Action<string> narrate)
{
    private static readonly TimeSpan s_fetchStep = TimeSpan.FromMilliseconds(600);
    private static readonly TimeSpan s_summariseStep = TimeSpan.FromMilliseconds(400);

    private readonly TaskCompletionSource _kickoff = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the agents start work; until then they wait, so the lead's agents get the first ids.</summary>
    public void Kickoff() => _kickoff.TrySetResult();

    /// <summary>The body of a research sub-agent.</summary>
    public Func<AgentTaskContext, Task<TaskResult>> Agent(ResearchPlan plan) => context => RunAgentAsync(context, plan);

    private async Task<TaskResult> RunAgentAsync(AgentTaskContext context, ResearchPlan plan)
    {
        var cancellationToken = context.CancellationToken;
        await _kickoff.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

        // Spawned from inside this body, so each fetch records this agent as its parent task.
        var fetches = new List<string>();
        foreach (var source in plan.Sources)
        {
            fetches.Add(await SpawnFetchAsync(source, plan.Topic).ConfigureAwait(false));
        }

        string? focus = null;
        if (plan.AwaitsGuidance && await context.Inbox.ReceiveAsync(cancellationToken).ConfigureAwait(false) is TaskEvent.Custom message)
        {
            focus = message.Payload.GetProperty("content").GetString() ?? string.Empty;
            narrate($"{context.TaskId} {plan.Name}: got \"{focus}\" from {message.Payload.GetProperty("from").GetString()}; adding a fetch for it");
            fetches.Add(await SpawnFetchAsync(new SourcePlan("the lead's follow-up", Speed: 0.9), $"\"{focus}\"").ConfigureAwait(false));
        }

        var fetched = new List<TaskSummary>();
        foreach (var id in fetches)
        {
            fetched.Add(await manager.WaitAsync(id, cancellationToken).ConfigureAwait(false));
        }

        var usable = fetched.Where(summary => summary.Status == BackgroundTaskStatus.Completed).ToList();
        var pages = usable.Sum(summary => summary.Result!.Value.GetProperty("pages").GetInt32());
        var summariseId = await manager.SpawnAsync(ownerThreadId, "summarise", null,
            string.Create(CultureInfo.InvariantCulture, $"summarise {pages} pages on {plan.Topic}"), TaskParentContext.None,
            summarise => SummariseAsync(summarise, plan.Topic, pages)).ConfigureAwait(false);
        var summary = await manager.WaitAsync(summariseId, cancellationToken).ConfigureAwait(false);
        if (summary.Status != BackgroundTaskStatus.Completed)
        {
            return TaskResult.Failed($"the summary did not finish: {summary.Error}");
        }

        var note = focus is null ? string.Empty : $", focus: {focus}";
        return TaskResult.Success(new
        {
            summary = string.Create(CultureInfo.InvariantCulture, $"{usable.Count}/{fetched.Count} sources, {pages} pages{note}"),
        });
    }

    private Task<string> SpawnFetchAsync(SourcePlan source, string topic) =>
        manager.SpawnAsync(ownerThreadId, "fetch", null, $"fetch {source.Source} on {topic}", TaskParentContext.None,
            fetch => FetchAsync(fetch, source));

    private async Task<TaskResult> FetchAsync(TaskContext context, SourcePlan source)
    {
        var pages = 0;
        for (var percent = 20; percent <= 100; percent += 20)
        {
            await Task.Delay(Scaled(s_fetchStep * source.Speed), context.CancellationToken).ConfigureAwait(false);
            if (percent == source.FailAtPercent)
            {
                return TaskResult.Failed($"{source.Source}: upstream returned 503 Service Unavailable");
            }

            pages += 2 + (source.Source.Length % 3);
            context.Emit("progress", new { percent });
            if (percent == source.StallAtPercent)
            {
                context.Emit("rate_limited", new { note = $"{source.Source} answers 429 Too Many Requests; backing off" });
                await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken).ConfigureAwait(false);
            }
        }

        return TaskResult.Success(new { source = source.Source, pages });
    }

    private async Task<TaskResult> SummariseAsync(TaskContext context, string topic, int pages)
    {
        for (var percent = 25; percent <= 100; percent += 25)
        {
            await Task.Delay(Scaled(s_summariseStep), context.CancellationToken).ConfigureAwait(false);
            context.Emit("progress", new { percent });
        }

        return TaskResult.Success(new { summary = string.Create(CultureInfo.InvariantCulture, $"{topic}: {pages} pages condensed") });
    }

    private TimeSpan Scaled(TimeSpan nominal) => nominal * timeScale;
}
