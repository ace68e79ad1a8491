using BackgroundTasks.AI.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace BackgroundTasks.AI.Tests;

public sealed class NotificationsChatClientTests
{
    private static readonly ChatMessage[] s_prompt = [new(ChatRole.User, "hi")];

    [Fact]
    public async Task NothingEnded_SendsTheMessagesUnchanged()
    {
        await using var harness = ToolsHarness.Create();
        await harness.SpawnAsync("survey topic A");
        var inner = new RecordingChatClient();
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread);

        var response = await client.GetResponseAsync(s_prompt);

        Assert.Same(s_prompt[0], Assert.Single(inner.Calls[0]));
        Assert.Equal("ok", Assert.Single(response.Messages).Text);
    }

    [Fact]
    public async Task EndedTask_IsReportedOnceAtTheEnd_OnTheNextCallOnly()
    {
        await using var harness = ToolsHarness.Create();
        var taskId = await harness.SpawnAsync("survey topic A", "alpha");
        var inner = new RecordingChatClient();
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread);
        await client.GetResponseAsync(s_prompt);
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(new { papers = 3 }));

        var response = await client.GetResponseAsync(s_prompt);
        await client.GetResponseAsync(s_prompt);

        var notice = Assert.Single(ScriptedChatClient.Notices(inner.Calls[1]));
        Assert.Same(notice, inner.Calls[1][^1]);
        Assert.Equal(ChatRole.User, notice.Role);
        Assert.Equal($"[background tasks] 1 background task ended since your last turn:\n- {taskId} (alpha) completed: {{\"papers\":3}}", notice.Text);
        Assert.Same(notice, response.Messages[0]);
        Assert.Empty(ScriptedChatClient.Notices(inner.Calls[0]));
        Assert.Empty(ScriptedChatClient.Notices(inner.Calls[2]));
    }

    [Fact]
    public async Task SeveralEnded_OneMessageListsEach_WithErrorsAndShortenedResults()
    {
        await using var harness = ToolsHarness.Create();
        var failed = await harness.SpawnAsync("survey topic A");
        var big = await harness.SpawnAsync("survey topic B", "beta");
        var cancelled = await harness.SpawnAsync("survey topic C");
        var inner = new RecordingChatClient();
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread);
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Failed("no sources"));
        await harness.FinishAndWaitAsync("survey topic B", TaskResult.Success(new string('r', 1000)));
        await harness.Manager.CancelAsync(cancelled);
        await harness.Manager.WaitAsync(cancelled).WaitAsync(ToolsHarness.HangGuard);

        await client.GetResponseAsync(s_prompt);

        var lines = Assert.Single(inner.LastNotices).Text.Split('\n');
        Assert.Equal("[background tasks] 3 background tasks ended since your last turn:", lines[0]);
        Assert.Equal($"- {failed} failed: no sources", lines[1]);
        Assert.Equal($"- {big} (beta) completed: \"{new string('r', 399)}… (1002 characters in all; task_status gives the rest)", lines[2]);
        Assert.Equal($"- {cancelled} cancelled", lines[3]);
    }

    [Fact]
    public async Task TasksEndedBeforeTheClientWasCreated_AndOtherThreadsTasks_AreNotReported()
    {
        await using var harness = ToolsHarness.Create();
        await harness.SpawnAsync("survey topic A");
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(1));
        var other = await harness.SpawnOnOtherThreadAsync("secret work");
        var inner = new RecordingChatClient();
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread);
        harness.Finish("secret work", TaskResult.Success(2));
        await harness.Manager.WaitAsync(other).WaitAsync(ToolsHarness.HangGuard);

        await client.GetResponseAsync(s_prompt);

        Assert.Empty(inner.LastNotices);
    }

    [Fact]
    public async Task TasksPrunedByRetentionBetweenCalls_AreStillReported_WithNamesAndResults()
    {
        await using var harness = ToolsHarness.Create(storeOptions: new TaskStateStoreOptions { MaxTerminalPerOwner = 1 });
        var alpha = await harness.SpawnAsync("survey topic A", "alpha");
        var beta = await harness.SpawnAsync("survey topic B", "beta");
        var gamma = await harness.SpawnAsync("survey topic C");
        var inner = new RecordingChatClient();
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread);
        await client.GetResponseAsync(s_prompt);
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(new { papers = 1 }));
        await harness.FinishAndWaitAsync("survey topic B", TaskResult.Failed("no sources"));
        await harness.FinishAndWaitAsync("survey topic C", TaskResult.Success(3));

        await client.GetResponseAsync(s_prompt);
        await client.GetResponseAsync(s_prompt);

        Assert.Null(await harness.Manager.GetAsync(alpha));
        Assert.Null(await harness.Manager.GetAsync(beta));
        Assert.Equal(
            $"[background tasks] 3 background tasks ended since your last turn:\n- {alpha} (alpha) completed: {{\"papers\":1}}\n" +
            $"- {beta} (beta) failed: no sources\n- {gamma} completed: 3",
            Assert.Single(ScriptedChatClient.Notices(inner.Calls[1])).Text);
        Assert.Empty(ScriptedChatClient.Notices(inner.Calls[2]));
    }

    [Fact]
    public async Task InnerCallFails_TheSameTasksAreReportedOnTheNextCall()
    {
        await using var harness = ToolsHarness.Create();
        var taskId = await harness.SpawnAsync("survey topic A");
        var inner = new RecordingChatClient { Fail = true };
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread);
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync(s_prompt));
        inner.Fail = false;
        await client.GetResponseAsync(s_prompt);
        await client.GetResponseAsync(s_prompt);

        Assert.Contains(taskId, Assert.Single(ScriptedChatClient.Notices(inner.Calls[1])).Text, StringComparison.Ordinal);
        Assert.Empty(ScriptedChatClient.Notices(inner.Calls[2]));
    }

    [Fact]
    public async Task Streaming_InnerCallFails_TheSameTasksAreReportedOnTheNextCall()
    {
        await using var harness = ToolsHarness.Create();
        var taskId = await harness.SpawnAsync("survey topic A");
        var inner = new RecordingChatClient { Fail = true };
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread);
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetStreamingResponseAsync(s_prompt).ToChatResponseAsync());
        inner.Fail = false;
        var retried = await client.GetStreamingResponseAsync(s_prompt).ToChatResponseAsync();
        await client.GetResponseAsync(s_prompt);

        Assert.Contains(taskId, retried.Messages[0].Text, StringComparison.Ordinal);
        Assert.Contains(taskId, Assert.Single(ScriptedChatClient.Notices(inner.Calls[1])).Text, StringComparison.Ordinal);
        Assert.Empty(ScriptedChatClient.Notices(inner.Calls[2]));
    }

    [Fact]
    public async Task ConcurrentCalls_ReportEachTaskToOneOfThemOnly()
    {
        await using var harness = ToolsHarness.Create();
        await harness.SpawnAsync("survey topic A");
        var inner = new RecordingChatClient { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread);
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(1));

        var called = inner.Called.Task;
        var first = client.GetResponseAsync(s_prompt);
        await called.WaitAsync(ToolsHarness.HangGuard);
        called = inner.Called.Task;
        var second = client.GetResponseAsync(s_prompt);
        await called.WaitAsync(ToolsHarness.HangGuard);
        inner.Gate.SetResult();
        await Task.WhenAll(first, second).WaitAsync(ToolsHarness.HangGuard);

        Assert.Single(inner.Calls.SelectMany(ScriptedChatClient.Notices));
    }

    [Fact]
    public async Task Streaming_TheNoticeComesFirst_AndOnce()
    {
        await using var harness = ToolsHarness.Create();
        var taskId = await harness.SpawnAsync("survey topic A");
        var inner = new RecordingChatClient();
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread);
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(1));

        var first = await client.GetStreamingResponseAsync(s_prompt).ToChatResponseAsync();
        var second = await client.GetStreamingResponseAsync(s_prompt).ToChatResponseAsync();

        Assert.Equal(2, first.Messages.Count);
        Assert.Contains(taskId, first.Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(ChatRole.User, first.Messages[0].Role);
        Assert.Equal("ok", first.Messages[1].Text);
        Assert.Contains(taskId, Assert.Single(ScriptedChatClient.Notices(inner.Calls[0])).Text, StringComparison.Ordinal);
        Assert.Equal("ok", Assert.Single(second.Messages).Text);
        Assert.Empty(ScriptedChatClient.Notices(inner.Calls[1]));
    }

    [Fact]
    public async Task ManyEnded_AtMostFiftyPerNotice_TheRestOnTheNextCall()
    {
        await using var harness = ToolsHarness.Create();
        var inner = new RecordingChatClient();
        using var client = new BackgroundTaskNotificationsChatClient(inner, harness.Manager, ToolsHarness.Thread);
        for (var i = 0; i < 60; i++)
        {
            await harness.SpawnAsync($"survey {i}");
            await harness.FinishAndWaitAsync($"survey {i}", TaskResult.Success(i));
        }

        await client.GetResponseAsync(s_prompt);
        var firstLines = Assert.Single(inner.LastNotices).Text.Split('\n').Length;
        await client.GetResponseAsync(s_prompt);
        var secondLines = Assert.Single(inner.LastNotices).Text.Split('\n').Length;

        Assert.Equal((51, 11), (firstLines, secondLines));
    }

    [Fact]
    public async Task Constructor_BadArguments_Throw()
    {
        await using var manager = new BackgroundTaskManager();
        using var inner = new RecordingChatClient();

        Assert.Throws<ArgumentNullException>(() => new BackgroundTaskNotificationsChatClient(null!, manager, "t1"));
        Assert.Throws<ArgumentNullException>(() => new BackgroundTaskNotificationsChatClient(inner, null!, "t1"));
        Assert.Throws<ArgumentNullException>(() => new BackgroundTaskNotificationsChatClient(inner, manager, null!));
        Assert.Throws<ArgumentException>(() => new BackgroundTaskNotificationsChatClient(inner, manager, ""));
    }
}
