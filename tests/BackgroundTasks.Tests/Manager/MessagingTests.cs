using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class MessagingTests
{
    [Fact]
    public async Task SendTaskInboxMessageAsync_DeliversAgentMessageToTheSubAgent()
    {
        await using var fixture = new ManagerFixture();
        var received = new TaskCompletionSource<TaskEvent?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await fixture.Manager.SpawnAgentAsync("t1", "researcher", "researches", TaskParentContext.None, async (token, sender, inbox) =>
        {
            received.SetResult(await inbox.ReceiveAsync(token));
            return TaskResult.Success("ok");
        });

        await fixture.Manager.SendTaskInboxMessageAsync(id, "t1", "lead", "focus on 2024");

        var message = Assert.IsType<TaskEvent.Custom>(await received.Task.Guarded());
        Assert.Equal(id, message.TaskId);
        Assert.Equal("agent_message", message.EventType);
        Assert.Equal("lead", message.Payload.GetProperty("from").GetString());
        Assert.Equal("focus on 2024", message.Payload.GetProperty("content").GetString());
        Assert.Equal("sub_agent", fixture.Store.Lookup(id)!.TaskType);
    }

    [Fact]
    public async Task SpawnAgentWithContextAsync_GivesTheBodyItsOwnInbox()
    {
        await using var fixture = new ManagerFixture();
        var received = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await fixture.Manager.SpawnAgentWithContextAsync("t1", null, "researches", TaskParentContext.None, async context =>
        {
            Assert.Equal(BackgroundTaskManager.CurrentTaskId, context.TaskId);
            context.InboxSender.Send(new TaskEvent.Custom(context.TaskId, "note", ManagerFixture.Json("\"to self\"")));
            var note = await context.Inbox.ReceiveAsync(context.CancellationToken);
            received.SetResult(((TaskEvent.Custom)note!).Payload.GetString());
            return TaskResult.Success(0);
        });

        Assert.Equal("to self", await received.Task.Guarded());
        Assert.Equal("sub_agent", (await fixture.Manager.WaitAsync(id).Guarded()).TaskType);
    }

    [Fact]
    public async Task AgentInbox_IsClosedWhenTheBodyEnds()
    {
        await using var fixture = new ManagerFixture();
        InboxReceiver? inbox = null;
        var id = await fixture.Manager.SpawnAgentAsync("t1", null, "ends at once", TaskParentContext.None, (_, _, receiver) =>
        {
            inbox = receiver;
            return Task.FromResult(TaskResult.Success(0));
        });
        await fixture.Manager.WaitAsync(id).Guarded();

        Assert.True(inbox!.IsClosed);
    }

    [Fact]
    public async Task SendTaskInboxMessageAsync_UnknownTask_ThrowsTaskNotFound()
    {
        await using var fixture = new ManagerFixture();
        var error = await Assert.ThrowsAsync<SendException>(() => fixture.Manager.SendTaskInboxMessageAsync("bg_5", "t1", "lead", "hi"));
        Assert.Equal(SendError.TaskNotFound, error.Error);
        Assert.Equal(Messages.TaskNotFound("bg_5"), error.Message);
    }

    [Fact]
    public async Task SendTaskInboxMessageAsync_OtherOwner_ThrowsNotOwner()
    {
        await using var fixture = new ManagerFixture();
        var id = await SpawnListeningAgentAsync(fixture);

        var error = await Assert.ThrowsAsync<SendException>(() => fixture.Manager.SendTaskInboxMessageAsync(id, "t2", "lead", "hi"));

        Assert.Equal(SendError.NotOwner, error.Error);
    }

    [Fact]
    public async Task SendTaskInboxMessageAsync_EndedTask_ThrowsTaskTerminatedWithStatus()
    {
        await using var fixture = new ManagerFixture();
        var id = await SpawnListeningAgentAsync(fixture);
        await fixture.Manager.CancelAsync(id);
        await fixture.Manager.WaitAsync(id).Guarded();

        var error = await Assert.ThrowsAsync<SendException>(() => fixture.Manager.SendTaskInboxMessageAsync(id, "t1", "lead", "hi"));

        Assert.Equal(SendError.TaskTerminated, error.Error);
        Assert.Equal(BackgroundTaskStatus.Cancelled, error.TerminalStatus);
    }

    [Fact]
    public async Task SendTaskInboxMessageAsync_PlainTask_ThrowsNoInbox()
    {
        await using var fixture = new ManagerFixture();
        var id = await fixture.SpawnWaitingAsync();

        var error = await Assert.ThrowsAsync<SendException>(() => fixture.Manager.SendTaskInboxMessageAsync(id, "t1", "lead", "hi"));

        Assert.Equal(SendError.NoInbox, error.Error);
    }

    [Fact]
    public async Task SendTaskInboxMessageAsync_AgentClosedItsInbox_ThrowsInboxClosed()
    {
        await using var fixture = new ManagerFixture();
        var closed = new TaskCompletionSource();
        var id = await fixture.Manager.SpawnAgentAsync("t1", null, "closes its inbox", TaskParentContext.None, async (token, _, inbox) =>
        {
            inbox.Close();
            closed.SetResult();

            // Stay alive (with a closed inbox) until the fixture cancels the task at dispose.
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (token.Register(() => stopped.TrySetResult()))
            {
                await stopped.Task;
            }

            return TaskResult.Cancelled;
        });
        await closed.Task.Guarded();

        var error = await Assert.ThrowsAsync<SendException>(() => fixture.Manager.SendTaskInboxMessageAsync(id, "t1", "lead", "hi"));

        Assert.Equal(SendError.InboxClosed, error.Error);
    }

    [Fact]
    public async Task SendTaskInboxMessageAsync_ChecksInOrder_OwnerBeforeTermination()
    {
        await using var fixture = new ManagerFixture();
        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(0)));
        await fixture.Manager.WaitAsync(id).Guarded();

        // Ended and a plain task, but the wrong owner is reported first.
        var error = await Assert.ThrowsAsync<SendException>(() => fixture.Manager.SendTaskInboxMessageAsync(id, "t2", "lead", "hi"));
        Assert.Equal(SendError.NotOwner, error.Error);
        var ended = await Assert.ThrowsAsync<SendException>(() => fixture.Manager.SendTaskInboxMessageAsync(id, "t1", "lead", "hi"));
        Assert.Equal(SendError.TaskTerminated, ended.Error);
    }

    [Fact]
    public async Task SendTaskInboxMessageAsync_ManyConcurrentSenders_AllMessagesArrive()
    {
        await using var fixture = new ManagerFixture();
        var all = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await fixture.Manager.SpawnAgentAsync("t1", null, "counts", TaskParentContext.None, async (token, _, inbox) =>
        {
            var count = 0;
            while (count < 400 && await inbox.ReceiveAsync(token) is not null)
            {
                count++;
            }

            all.SetResult(count);
            return TaskResult.Success(count);
        });

        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() =>
            fixture.Manager.SendTaskInboxMessageAsync(id, "t1", "lead", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));

        Assert.Equal(400, await all.Task.Guarded());
    }

    private static Task<string> SpawnListeningAgentAsync(ManagerFixture fixture) =>
        fixture.Manager.SpawnAgentAsync("t1", null, "listens", TaskParentContext.None, async (token, _, inbox) =>
        {
            // Drain until cancelled: the messages themselves do not matter here.
            await foreach (var message in inbox.ReadAllAsync(token))
            {
                Assert.NotNull(message);
            }

            token.ThrowIfCancellationRequested();
            return TaskResult.Success(0);
        });
}
