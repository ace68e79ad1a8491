using System.Text.Json;
using BackgroundTasks.AI;
using Microsoft.Extensions.AI;

namespace BackgroundTasks.Demo;

/// <summary>
/// <c>--agent</c>: a scripted model drives the research scenario through the agent tools (spawn, wait, message,
/// cancel, list, status) and the notices client, and the conversation is printed as a transcript.
/// </summary>
internal static class AgentMode
{
    public const string OwnerThreadId = "lead-conversation";
    private const string RunId = "agent-run";

    // How many simulated fetches a topic takes; the papers search would run until stopped.
    private static readonly Dictionary<string, int> s_steps = new(StringComparer.Ordinal)
    {
        ["agent runtime vendors"] = 3,
        ["agent scheduling research"] = int.MaxValue,
    };

    /// <summary>Runs the conversation; 0 when the tools did what the script asked (market done, papers cancelled).</summary>
    public static async Task<int> RunAsync(BackgroundTaskManager manager, double timeScale, TextWriter output)
    {
        var options = new BackgroundTaskToolsOptions { RunId = RunId };
        options.Agents["researcher"] = new SubAgentDefinition("researches one topic and reports how many sources it read",
            (task, context) => ResearchAsync(task, context, TimeSpan.FromMilliseconds(200 * timeScale)));
        var tools = new BackgroundTaskTools(manager, OwnerThreadId, "lead", options);
        using var client = new ChatClientBuilder(new ScriptedLead())
            .UseFunctionInvocation()
            .Use(inner => new BackgroundTaskNotificationsChatClient(inner, manager, OwnerThreadId))
            .Build();

        List<ChatMessage> history = [new(ChatRole.User, "Research AI agent runtimes: the market and the papers.")];
        await output.WriteLineAsync($"BackgroundTasks demo, --agent: a scripted model uses the tools {string.Join(", ", tools.Functions.Select(f => f.Name))}")
            .ConfigureAwait(false);
        var response = await client.GetResponseAsync(history, new ChatOptions { Tools = [.. tools.Functions] }).ConfigureAwait(false);
        history.AddMessages(response);
        foreach (var line in AgentTranscript.Lines(history))
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        await manager.CancelDescendantsForRunAsync(RunId).ConfigureAwait(false);
        // The tasks this conversation spawned, by the ids the tools returned (the database may hold earlier runs' tasks).
        var contents = history.SelectMany(message => message.Contents).ToList();
        var spawnCalls = contents.OfType<FunctionCallContent>().Where(call => call.Name == "spawn_agent").Select(call => call.CallId).ToHashSet();
        var spawned = new List<BackgroundTaskStatus?>();
        foreach (var result in contents.OfType<FunctionResultContent>().Where(result => spawnCalls.Contains(result.CallId)))
        {
            if (result.Result is JsonElement json && json.TryGetProperty("task_id", out var id))
            {
                spawned.Add((await manager.GetAsync(id.GetString()!).ConfigureAwait(false))?.Status);
            }
        }

        var asScripted = spawned is [BackgroundTaskStatus.Completed, BackgroundTaskStatus.Cancelled];
        await output.WriteLineAsync(asScripted ? "demo: done" : "demo: the conversation did not go as scripted").ConfigureAwait(false);
        return asScripted ? 0 : 1;
    }

    private static async Task<TaskResult> ResearchAsync(string topic, AgentTaskContext context, TimeSpan stepTime)
    {
        var steps = s_steps.GetValueOrDefault(topic, 2);
        var notes = new List<string>();
        try
        {
            for (var step = 0; step < steps; step++)
            {
                await Task.Delay(stepTime, context.CancellationToken).ConfigureAwait(false);
                while (context.Inbox.TryReceive(out var message))
                {
                    if (message is TaskEvent.Custom { EventType: "agent_message" } custom)
                    {
                        notes.Add(custom.Payload.GetProperty("content").GetString() ?? string.Empty);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return TaskResult.Cancelled;
        }

        return TaskResult.Success(new { topic, sources = steps, notes });
    }
}
