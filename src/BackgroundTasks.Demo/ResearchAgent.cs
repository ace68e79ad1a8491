using System.Globalization;

namespace BackgroundTasks.Demo;

/// <summary>
/// What a research sub-agent does, wherever it runs: spawns a fetch task per source, reacts to its lead's message
/// with one more fetch, then spawns a summarise task over the pages fetched. <c>Task.Delay</c> stands in for real I/O.
/// </summary>
internal static class ResearchAgent
{
    private static readonly TimeSpan s_fetchStep = TimeSpan.FromMilliseconds(600);
    private static readonly TimeSpan s_summariseStep = TimeSpan.FromMilliseconds(400);

    /// <summary>The agent's body after it may start; <paramref name="narrate"/> says what it got from its lead.</summary>
    public static async Task<TaskResult> RunAsync(AgentTaskContext context, ResearchPlan plan, IResearchThread thread, Action<string> narrate)
    {
        var cancellationToken = context.CancellationToken;

        // Spawned from inside this body, so each fetch records this agent as its parent task.
        var fetches = new List<string>();
        foreach (var source in plan.Sources)
        {
            fetches.Add(await thread.SpawnFetchAsync(source, plan.Topic).ConfigureAwait(false));
        }

        string? focus = null;
        if (plan.AwaitsGuidance && await context.Inbox.ReceiveAsync(cancellationToken).ConfigureAwait(false) is TaskEvent.Custom message)
        {
            focus = message.Payload.GetProperty("content").GetString() ?? string.Empty;
            narrate($"{context.TaskId} {plan.Name}: got \"{focus}\" from {message.Payload.GetProperty("from").GetString()}; adding a fetch for it");
            fetches.Add(await thread.SpawnFetchAsync(new SourcePlan("the lead's follow-up", Speed: 0.9), $"\"{focus}\"").ConfigureAwait(false));
        }

        var fetched = new List<TaskSummary>();
        foreach (var id in fetches)
        {
            fetched.Add(await thread.WaitAsync(id, cancellationToken).ConfigureAwait(false));
        }

        var usable = fetched.Where(summary => summary.Status == BackgroundTaskStatus.Completed).ToList();
        var pages = usable.Sum(summary => summary.Result!.Value.GetProperty("pages").GetInt32());
        var summary = await thread.WaitAsync(await thread.SpawnSummariseAsync(plan.Topic, pages).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
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

    public static string FetchDescription(SourcePlan source, string topic) => $"fetch {source.Source} on {topic}";

    public static string SummariseDescription(string topic, int pages) =>
        string.Create(CultureInfo.InvariantCulture, $"summarise {pages} pages on {topic}");

    /// <summary>The body of a fetch task: five steps of progress, failing or stalling where its plan says.</summary>
    public static async Task<TaskResult> FetchAsync(TaskContext context, SourcePlan source, double timeScale)
    {
        var pages = 0;
        for (var percent = 20; percent <= 100; percent += 20)
        {
            await Task.Delay(s_fetchStep * source.Speed * timeScale, context.CancellationToken).ConfigureAwait(false);
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

    /// <summary>The body of a summarise task: four steps of progress.</summary>
    public static async Task<TaskResult> SummariseAsync(TaskContext context, string topic, int pages, double timeScale)
    {
        for (var percent = 25; percent <= 100; percent += 25)
        {
            await Task.Delay(s_summariseStep * timeScale, context.CancellationToken).ConfigureAwait(false);
            context.Emit("progress", new { percent });
        }

        return TaskResult.Success(new { summary = string.Create(CultureInfo.InvariantCulture, $"{topic}: {pages} pages condensed") });
    }
}
