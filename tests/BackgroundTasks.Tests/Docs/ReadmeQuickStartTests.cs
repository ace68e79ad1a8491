using System.Reactive.Linq;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Docs;

/// <summary>The README's quick start, kept compiling and passing here. Keep the two in step.</summary>
public sealed class ReadmeQuickStartTests
{
    [Fact]
    public async Task QuickStart_RunsAsDocumented()
    {
        // --- README quick start: begin ---
        using var store = new TaskStateStore();
        await using var manager = new BackgroundTaskManager(store);

        var (ownerInbox, ownerEvents) = Inbox.Create();
        manager.SetOwnerInbox(ownerInbox);

        // Watch every task of thread "t1" finish, with plain Rx operators.
        using var finished = manager.Connect("t1")
            .SelectMany(changes => changes)
            .Where(change => change.Current.Status.IsTerminal())
            .Subscribe(change => Console.WriteLine($"{change.Key}: {change.Current.Status.AsString()}"));

        // A plain task that reports progress.
        var fetch = await manager.SpawnAsync("t1", "fetch", "fetcher", "download the report", TaskParentContext.None,
            async context =>
            {
                for (var percent = 0; percent <= 100; percent += 50)
                {
                    context.Emit("progress", new { percent });
                    await Task.Yield();
                }

                return TaskResult.Success(new { pages = 12 });
            });

        // A sub-agent that answers the messages its parent sends it.
        var agent = await manager.SpawnAgentWithContextAsync("t1", "researcher", "research the topic", TaskParentContext.None,
            async context =>
            {
                var message = (TaskEvent.Custom?)await context.Inbox.ReceiveAsync(context.CancellationToken);
                return TaskResult.Success($"researched: {message?.Payload.GetProperty("content")}");
            });
        await manager.SendTaskInboxMessageAsync(agent, "t1", "lead", "focus on 2024");

        // A subtree that waits for cancellation, then cancelled as a whole.
        var root = await manager.SpawnAsync("t1", "crawl", null, "crawl a site", TaskParentContext.None,
            async context =>
            {
                await context.WhenCancelled();
                return TaskResult.Cancelled;
            });
        int cancelled = await manager.CancelTreeAsync(root);

        TaskSummary report = await manager.WaitAsync(fetch);
        TaskSummary research = await manager.WaitAsync(agent);
        await manager.WaitAsync(root);
        IReadOnlyList<TaskEvent> events = ownerEvents.Drain();   // progress, then terminal events
        // --- README quick start: end ---

        Assert.Equal(1, cancelled);
        Assert.Equal(12, report.Result!.Value.GetProperty("pages").GetInt32());
        Assert.Equal("researched: focus on 2024", research.Result!.Value.GetString());
        Assert.Equal(3, events.OfType<TaskEvent.Custom>().Count());
        Assert.Equal(3, events.Count(e => e is not TaskEvent.Custom));
        await Task.CompletedTask.Guarded();
    }
}
