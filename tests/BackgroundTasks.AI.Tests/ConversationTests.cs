using System.Text.Json;
using BackgroundTasks.AI.Tests.TestSupport;
using Microsoft.Extensions.AI;
using static BackgroundTasks.AI.Tests.TestSupport.ScriptedChatClient;

namespace BackgroundTasks.AI.Tests;

/// <summary>A scripted model drives the research scenario through the function loop and the notices client.</summary>
public sealed class ConversationTests
{
    [Fact]
    public async Task ResearchScenario_ToolsActOnTheManager_AndTheModelSeesResultsAndEachNoticeOnce()
    {
        await using var harness = ToolsHarness.Create();
        (string TaskId, string From, string Content) received = default;
        string Id(IReadOnlyList<ChatMessage> messages, string callId) => ResultOf(messages, callId).GetProperty("task_id").GetString()!;
        var model = new ScriptedChatClient(
            _ => Task.FromResult(Call(
                ("c1", "spawn_agent", Args(new { agent = "researcher", task = "survey topic A", name = "alpha" })),
                ("c2", "spawn_agent", Args(new { agent = "researcher", task = "survey topic B", name = "beta" })))),
            async messages =>
            {
                // While the model thinks, alpha finishes.
                await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(new { papers = 3 }));
                return Call(("c3", "task_wait", Args(new { task_ids = new[] { Id(messages, "c1"), Id(messages, "c2") }, mode = "any" })));
            },
            _ => Task.FromResult(Call(("c4", "send_message", Args(new { to = "beta", message = "also cover 2024" })))),
            async messages =>
            {
                received = await harness.NextReceivedAsync();
                return Call(("c5", "task_cancel", Args(new { task_id = Id(messages, "c2") })));
            },
            messages => Task.FromResult(Call(("c6", "task_wait", Args(new { task_ids = new[] { Id(messages, "c2") } })))),
            messages => Task.FromResult(Call(
                ("c7", "task_list", Args(new { })),
                ("c8", "task_status", Args(new { task_id = Id(messages, "c1") })))),
            Say("Topic A has 3 papers; topic B was dropped."));
        using var client = new ChatClientBuilder(model)
            .UseFunctionInvocation()
            .Use(inner => new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread))
            .Build();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Research topics A and B.")],
            new ChatOptions { Tools = [.. harness.Tools.Functions] }).WaitAsync(ToolsHarness.HangGuard);

        // What the tools did to the manager.
        var tasks = await harness.Manager.ListAsync(ToolsHarness.Thread);
        Assert.Collection(tasks,
            alpha =>
            {
                Assert.Equal(("alpha", BackgroundTaskStatus.Completed), (alpha.Name, alpha.Status));
                Assert.Equal(new TaskParentContext { RunId = ToolsHarness.Run, AgentId = ToolsHarness.Agent, CallId = "c1" }, alpha.ParentContext);
            },
            beta =>
            {
                Assert.Equal(("beta", BackgroundTaskStatus.Cancelled), (beta.Name, beta.Status));
                Assert.Equal("c2", beta.ParentContext.CallId);
            });
        Assert.Equal((tasks[1].TaskId, ToolsHarness.Agent, "also cover 2024"), received);

        // What came back to the model.
        var history = response.Messages;
        Assert.Equal("running", ResultOf(history, "c1").GetProperty("status").GetString());
        var waited = ResultOf(history, "c3");
        Assert.Equal(tasks[0].TaskId, Assert.Single(waited.GetProperty("finished").EnumerateArray()).GetProperty("task_id").GetString());
        Assert.Equal(tasks[1].TaskId, Assert.Single(waited.GetProperty("pending").EnumerateArray()).GetString());
        Assert.Equal("accepted", ResultOf(history, "c4").GetProperty("status").GetString());
        Assert.Equal(1, ResultOf(history, "c5").GetProperty("cancelled").GetInt32());
        Assert.Equal("cancelled", Assert.Single(ResultOf(history, "c6").GetProperty("finished").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(2, ResultOf(history, "c7").GetProperty("tasks").GetArrayLength());
        Assert.Equal(3, ResultOf(history, "c8").GetProperty("result").GetProperty("papers").GetInt32());
        Assert.Equal("Topic A has 3 papers; topic B was dropped.", history[^1].Text);

        // The notices: alpha's before the third call, beta's before the sixth, each once, and kept in the history.
        var seen = model.Calls.SelectMany(Notices).DistinctBy(notice => notice.MessageId).ToList();
        Assert.Collection(seen,
            notice => Assert.Equal($"[background tasks] 1 background task ended since your last turn:\n- {tasks[0].TaskId} (alpha) completed: {{\"papers\":3}}", notice.Text),
            notice => Assert.Equal($"[background tasks] 1 background task ended since your last turn:\n- {tasks[1].TaskId} (beta) cancelled", notice.Text));
        Assert.Same(seen[0], Assert.Single(Notices(model.Calls[2])));
        Assert.Empty(Notices(model.Calls[1]));
        Assert.Same(seen[1], Notices(model.Calls[5]).Last());
        Assert.Equal(seen.Select(notice => notice.MessageId), Notices(history).Select(notice => notice.MessageId));
    }
}
