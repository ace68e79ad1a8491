using BackgroundTasks.AI.Tests.TestSupport;
using Microsoft.Extensions.AI;
using static BackgroundTasks.AI.Tests.TestSupport.ScriptedChatClient;

namespace BackgroundTasks.AI.Tests.Docs;

/// <summary>The README's "Agent tools" wiring, kept compiling and passing here with a scripted model. Keep the two in step.</summary>
public sealed class ReadmeAgentToolsTests
{
    [Fact]
    public async Task AgentToolsWiring_RunsAsDocumented()
    {
        // --- README agent tools: begin ---
        using var store = new TaskStateStore();
        await using var manager = new BackgroundTaskManager(store);

        var options = new BackgroundTaskToolsOptions { RunId = "run-42", MaxWait = TimeSpan.FromSeconds(20) };
        options.Agents["researcher"] = new SubAgentDefinition(
            "researches one question and reports its findings",
            async (task, context) => TaskResult.Success(await ResearchAsync(task, context.Inbox, context.CancellationToken)));

        var tools = new BackgroundTaskTools(manager, "conversation-7", "lead", options);
        // --- README agent tools: end (the model below stands in for OpenAI or Ollama) ---
        var model = new ScriptedChatClient(
            _ => Task.FromResult(Call(("c1", "spawn_agent", Args(new { agent = "researcher", task = "survey topic A", name = "alpha" })))),
            messages => Task.FromResult(Call(("c2", "task_wait", Args(new { task_ids = new[] { ResultOf(messages, "c1").GetProperty("task_id").GetString() } })))),
            Say("Topic A has 3 papers."));
        // --- README agent tools: begin ---
        using var client = new ChatClientBuilder(model)
            .UseFunctionInvocation()
            .Use(inner => new BackgroundTaskNotificationsChatClient(inner, manager, "conversation-7"))
            .Build();

        List<ChatMessage> history = [new(ChatRole.User, "Compare what is known about topics A and B.")];
        var response = await client.GetResponseAsync(history, new ChatOptions { Tools = [.. tools.Functions] });
        history.AddMessages(response);

        await manager.CancelDescendantsForRunAsync("run-42");
        // --- README agent tools: end ---

        Assert.Equal("Topic A has 3 papers.", history[^1].Text);
        Assert.Equal("completed", Assert.Single(ResultOf(history, "c2").GetProperty("finished").EnumerateArray()).GetProperty("status").GetString());
        Assert.Single(Notices(history));
    }

    private static async Task<object> ResearchAsync(string task, InboxReceiver inbox, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return new { task, papers = 3, messages = inbox.Count };
    }
}
