using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using BackgroundTasks.Caching;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Docs;

/// <summary>The README's "Composing" recipes, kept compiling and passing here. Keep the two in step.</summary>
public sealed class ReadmeComposingTests
{
    [Fact]
    public async Task ProgressBars_FromTheRecordsProgress()
    {
        using var store = new TaskStateStore();
        await using var manager = new BackgroundTaskManager(store);
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await manager.SpawnAsync("t1", "fetch", null, "download the report", TaskParentContext.None, async context =>
        {
            context.ReportProgress(0.5, "page 6 of 12");
            reported.SetResult();
            await finish.Task;
            return TaskResult.Success(12);
        });
        await reported.Task.Guarded();

        // --- README composing, progress bars: begin ---
        // A UI that attaches mid-run still shows where each task is: progress is part of the record.
        var bars = new ConcurrentDictionary<string, (double? Fraction, string? Message)>();
        using var progressBars = manager.Connect("t1")
            .SelectMany(changes => changes)
            .Subscribe(change =>
            {
                if (change.Reason == ChangeReason.Remove)
                {
                    bars.TryRemove(change.Key, out _);
                }
                else if (change.Current.Progress is { } progress)
                {
                    bars[change.Key] = (progress.Fraction, progress.Message);   // Fraction null: an indeterminate bar
                }
            });
        // --- README composing, progress bars: end ---

        Assert.Equal((0.5, "page 6 of 12"), bars[id]);
        finish.SetResult();
        await manager.WaitAsync(id).Guarded();
    }

    [Fact]
    public async Task ResumingAThreadsEvents_AfterAReconnect()
    {
        using var store = new TaskStateStore();
        await using var manager = new BackgroundTaskManager(store);
        var received = new List<TaskEvent>();
        void Send(TaskEvent e) => received.Add(e);
        var first = await manager.SpawnAsync("t1", "fetch", null, "first", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        await manager.WaitAsync(first).Guarded();

        // --- README composing, resuming: begin ---
        // Each event carries its thread's Sequence (1, 2, 3, ...); a client remembers the last one it handled,
        // as an SSE client does with Last-Event-ID.
        long lastSeq = 0;
        IDisposable Attach() => manager.ObserveEvents("t1", afterSequence: lastSeq)
            .Catch<TaskEvent, EventsExpiredException>(_ =>
            {
                // Too far behind: what was missed is no longer retained. Reload the thread's state
                // (ListAsync, or a fresh Connect), then go live.
                return manager.ObserveEvents("t1");
            })
            .Subscribe(e =>
            {
                Send(e);
                lastSeq = e.Sequence;
            });

        var connection = Attach();   // replays what happened since lastSeq, then live events
        connection.Dispose();        // the client goes away...
        var missed = await manager.SpawnAsync("t1", "fetch", null, "while away", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Success(2)));
        await manager.WaitAsync(missed);
        connection = Attach();       // ...and comes back: no gap, no duplicate
        // --- README composing, resuming: end ---

        connection.Dispose();
        Assert.Equal([first, missed], received.Select(e => e.TaskId));
        Assert.Equal([1L, 2], received.Select(e => e.Sequence));
    }

    [Fact]
    public async Task OneInboxPerConversation()
    {
        using var store = new TaskStateStore();
        await using var manager = new BackgroundTaskManager(store);

        // --- README composing, inboxes: begin ---
        // One manager serves many conversations: each thread's tasks report to that thread's inbox.
        var (aliceInbox, aliceEvents) = Inbox.Create();
        var (bobInbox, bobEvents) = Inbox.Create();
        manager.SetOwnerInbox("alice", aliceInbox);
        manager.SetOwnerInbox("bob", bobInbox);
        // --- README composing, inboxes: end ---

        var forAlice = await manager.SpawnAsync("alice", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        var forBob = await manager.SpawnAsync("bob", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        await manager.WaitAsync(forAlice).Guarded();
        await manager.WaitAsync(forBob).Guarded();
        Assert.Equal([forAlice], aliceEvents.Drain().Select(e => e.TaskId));
        Assert.Equal([forBob], bobEvents.Drain().Select(e => e.TaskId));
    }

    [Fact]
    public async Task IsolatingASlowObserver_WithObserveOn()
    {
        using var store = new TaskStateStore();
        await using var manager = new BackgroundTaskManager(store);
        var slowObserverMayGo = new ManualResetEventSlim();
        var seen = new ConcurrentQueue<string>();
        var allSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void SlowlyRender(IChangeSet<TaskSummary, string> changes)
        {
            slowObserverMayGo.Wait();   // a slow UI or network write
            foreach (var change in changes)
            {
                seen.Enqueue(change.Key);
            }

            if (seen.Count >= 10)
            {
                allSeen.TrySetResult();
            }
        }

        // --- README composing, slow observer: begin ---
        // Observers run on the thread that made the change: without ObserveOn, this observer would run inside
        // every SpawnAsync (and inside every task's end) and hold it up. With it, the spawns do not wait.
        using var scheduler = new EventLoopScheduler();
        using var rendering = manager.Connect("t1")
            .ObserveOn(scheduler)
            .Subscribe(SlowlyRender);
        // --- README composing, slow observer: end ---

        // Five spawns complete while the observer is still stuck on its first change set.
        for (var i = 0; i < 5; i++)
        {
            await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1))).Guarded();
        }

        slowObserverMayGo.Set();
        await allSeen.Task.Guarded();
        slowObserverMayGo.Dispose();
    }
}
