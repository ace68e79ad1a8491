using System.Threading.Tasks.Dataflow;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class EventTests
{
    [Fact]
    public async Task Emit_DeliversCustomEventsThenTheTerminalEvent_InOrder()
    {
        await using var fixture = new ManagerFixture();
        var (sender, receiver) = Inbox.Create();
        fixture.Manager.SetOwnerInbox(sender);

        var id = await fixture.Manager.SpawnAsync("t1", "fetch", null, "reports progress", TaskParentContext.None, async context =>
        {
            for (var step = 1; step <= 3; step++)
            {
                Assert.True(context.Emit("progress", new { step }));
                await Task.Yield();
            }

            return TaskResult.Success("page");
        });
        await fixture.Manager.WaitAsync(id).Guarded();

        var events = receiver.Drain();
        Assert.Equal(4, events.Count);
        for (var step = 1; step <= 3; step++)
        {
            var custom = Assert.IsType<TaskEvent.Custom>(events[step - 1]);
            Assert.Equal(id, custom.TaskId);
            Assert.Equal("progress", custom.EventType);
            Assert.Equal(step, custom.Payload.GetProperty("step").GetInt32());
        }

        var completed = Assert.IsType<TaskEvent.Completed>(events[3]);
        Assert.Equal("page", completed.Result!.Value.GetString());
    }

    [Fact]
    public async Task TerminalEvent_ArrivesAfterTheStoreShowsTheTerminalStatus()
    {
        await using var fixture = new ManagerFixture();
        var statusAtEvent = new TaskCompletionSource<BackgroundTaskStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = new ActionBlock<TaskEvent>(e =>
        {
            if (e is TaskEvent.Failed)
            {
                statusAtEvent.SetResult(fixture.Store.Lookup(e.TaskId)?.Status);
            }
        });
        fixture.Manager.SetOwnerInbox(new InboxSender(pipeline));

        await fixture.Manager.SpawnAsync("t1", "x", null, "fails", TaskParentContext.None, _ => Task.FromResult(TaskResult.Failed("bad")));

        Assert.Equal(BackgroundTaskStatus.Failed, await statusAtEvent.Task.Guarded());
    }

    [Fact]
    public async Task TerminalEvents_CarryTheOutcome_ForEveryKind()
    {
        await using var fixture = new ManagerFixture();
        var (sender, receiver) = Inbox.Create();
        fixture.Manager.SetOwnerInbox(sender);

        var ok = await fixture.Manager.SpawnAsync("t1", "x", null, "ok", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(7)));
        var bad = await fixture.Manager.SpawnAsync("t1", "x", null, "bad", TaskParentContext.None, _ => Task.FromResult(TaskResult.Failed("boom")));
        var stop = await fixture.SpawnWaitingAsync();
        await fixture.Manager.CancelAsync(stop);
        foreach (var id in new[] { ok, bad, stop })
        {
            await fixture.Manager.WaitAsync(id).Guarded();
        }

        var byTask = receiver.Drain().ToDictionary(e => e.TaskId);
        Assert.Equal(7, Assert.IsType<TaskEvent.Completed>(byTask[ok]).Result!.Value.GetInt32());
        Assert.Equal("boom", Assert.IsType<TaskEvent.Failed>(byTask[bad]).Error);
        Assert.IsType<TaskEvent.Cancelled>(byTask[stop]);
    }

    [Fact]
    public async Task ManyTasksSharingOneInbox_EachTasksEventsStayInOrder_AndTerminalIsLast()
    {
        await using var fixture = new ManagerFixture();
        var (sender, receiver) = Inbox.Create();
        fixture.Manager.SetOwnerInbox(sender);

        var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            fixture.Manager.SpawnAsync("t1", "x", null, "emits", TaskParentContext.None, async context =>
            {
                for (var i = 0; i < 20; i++)
                {
                    context.Emit("progress", i);
                    if (i % 5 == 0)
                    {
                        await Task.Yield();
                    }
                }

                return TaskResult.Success(0);
            })));
        await Task.WhenAll(ids.Select(id => fixture.Manager.WaitAsync(id))).Guarded();

        var events = receiver.Drain();
        Assert.Equal(50 * 21, events.Count);
        foreach (var group in events.GroupBy(e => e.TaskId))
        {
            var list = group.ToList();
            Assert.Equal(Enumerable.Range(0, 20), list.Take(20).Select(e => ((TaskEvent.Custom)e).Payload.GetInt32()));
            Assert.IsType<TaskEvent.Completed>(list[20]);
        }
    }

    [Fact]
    public async Task Emit_WithNoOwnerInbox_ReturnsFalse_ButStillReachesEvents()
    {
        await using var fixture = new ManagerFixture();
        var seen = new List<TaskEvent>();
        var terminal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Manager.Events.Subscribe(e =>
        {
            lock (seen)
            {
                seen.Add(e);
            }

            if (e is TaskEvent.Completed)
            {
                terminal.TrySetResult();
            }
        });
        var emitted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        await fixture.Manager.SpawnAsync("t1", "x", null, "emits with no inbox", TaskParentContext.None, context =>
        {
            emitted.SetResult(context.Emit("progress", 1));
            return Task.FromResult(TaskResult.Success(0));
        });

        Assert.False(await emitted.Task.Guarded());
        await terminal.Task.Guarded();
        lock (seen)
        {
            Assert.IsType<TaskEvent.Custom>(seen[0]);
            Assert.IsType<TaskEvent.Completed>(seen[1]);
        }
    }

    [Fact]
    public async Task Emit_AfterCancelRequested_StillDelivers()
    {
        await using var fixture = new ManagerFixture();
        var (sender, receiver) = Inbox.Create();
        fixture.Manager.SetOwnerInbox(sender);
        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "reports its cancellation", TaskParentContext.None, async context =>
        {
            await context.WhenCancelled();
            context.Emit("cleanup", "closing files");
            return TaskResult.Cancelled;
        });

        await fixture.Manager.CancelAsync(id);
        await fixture.Manager.WaitAsync(id).Guarded();

        var events = receiver.Drain();
        Assert.Equal("cleanup", Assert.IsType<TaskEvent.Custom>(events[0]).EventType);
        Assert.IsType<TaskEvent.Cancelled>(events[1]);
    }

    [Fact]
    public async Task Emit_AfterTheTaskEnded_ReturnsFalseAndDeliversNothing()
    {
        await using var fixture = new ManagerFixture();
        var (sender, receiver) = Inbox.Create();
        fixture.Manager.SetOwnerInbox(sender);
        TaskContext? leaked = null;
        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "leaks its context", TaskParentContext.None, context =>
        {
            leaked = context;
            return Task.FromResult(TaskResult.Success(0));
        });
        await fixture.Manager.WaitAsync(id).Guarded();

        Assert.False(leaked!.Emit("late", 1));
        Assert.IsType<TaskEvent.Completed>(Assert.Single(receiver.Drain()));
    }

    [Fact]
    public async Task ClosedOwnerInbox_CallbackSeesCustomAndTerminalEvents()
    {
        await using var fixture = new ManagerFixture();
        var refused = new List<TaskEvent>();
        var target = new BufferBlock<TaskEvent>();
        target.Complete();
        fixture.Manager.SetOwnerInbox(new InboxSender(target, e =>
        {
            lock (refused)
            {
                refused.Add(e);
            }
        }));
        var emitted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "emits into a closed inbox", TaskParentContext.None, context =>
        {
            emitted.SetResult(context.Emit("progress", 1));
            return Task.FromResult(TaskResult.Success(0));
        });
        await fixture.Manager.WaitAsync(id).Guarded();

        Assert.False(await emitted.Task.Guarded());
        lock (refused)
        {
            Assert.Collection(refused, e => Assert.IsType<TaskEvent.Custom>(e), e => Assert.IsType<TaskEvent.Completed>(e));
        }
    }

    [Fact]
    public async Task SetOwnerInbox_Replaces_ButTasksKeepTheInboxBoundAtSpawn()
    {
        await using var fixture = new ManagerFixture();
        var (firstSender, firstReceiver) = Inbox.Create();
        var (secondSender, secondReceiver) = Inbox.Create();
        var gate = new TaskCompletionSource();
        fixture.Manager.SetOwnerInbox(firstSender);
        var early = await fixture.SpawnGatedAsync(gate.Task);
        fixture.Manager.SetOwnerInbox(secondSender);
        var late = await fixture.SpawnGatedAsync(gate.Task);

        gate.SetResult();
        await fixture.Manager.WaitAsync(early).Guarded();
        await fixture.Manager.WaitAsync(late).Guarded();

        Assert.Equal(early, Assert.Single(firstReceiver.Drain()).TaskId);
        Assert.Equal(late, Assert.Single(secondReceiver.Drain()).TaskId);
    }

    [Fact]
    public async Task OwnerInboxCallbackThatThrows_DoesNotWedgeTheTask()
    {
        await using var fixture = new ManagerFixture();
        var target = new BufferBlock<TaskEvent>();
        target.Complete();
        fixture.Manager.SetOwnerInbox(new InboxSender(target, _ => throw new InvalidOperationException("callback broke")));

        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));

        Assert.Equal(BackgroundTaskStatus.Completed, (await fixture.Manager.WaitAsync(id).Guarded()).Status);
    }

    [Fact]
    public async Task OwnerInboxAsPipelineHead_FeedsAUsersDataflowPipeline()
    {
        await using var fixture = new ManagerFixture();
        var results = new BufferBlock<string>();
        var head = new TransformBlock<TaskEvent, string>(e => e.GetType().Name + ":" + e.TaskId);
        head.LinkTo(results, new DataflowLinkOptions { PropagateCompletion = true });
        fixture.Manager.SetOwnerInbox(new InboxSender(head));

        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));

        Assert.Equal("Completed:" + id, await results.ReceiveAsync().Guarded());
    }
}
