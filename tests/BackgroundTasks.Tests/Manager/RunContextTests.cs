using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

/// <summary>The execution context a task's end runs in: its run's, never what its body's own flow set.</summary>
public sealed class RunContextTests
{
    private static readonly AsyncLocal<string?> s_setByBody = new();

    [Fact]
    public async Task End_OfABodyThatSuspended_RunsInTheRunsContext_NotInTheBodysFlow()
    {
        // The observers of a task's end run on the thread that ends it; they see the task as CurrentTaskId (the run's
        // context, as the continuation of an await in the run would) and none of the ambient values the body set.
        await using var fixture = new ManagerFixture();
        var seen = new TaskCompletionSource<(string? Current, string? SetByBody)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Manager.Events.Subscribe(message =>
        {
            if (message is TaskEvent.Completed)
            {
                seen.TrySetResult((BackgroundTaskManager.CurrentTaskId, s_setByBody.Value));
            }
        });

        var id = await fixture.Manager.SpawnAsync("t1", "probe", null, "sets an ambient value", TaskParentContext.None, async _ =>
        {
            s_setByBody.Value = "body";
            await Task.Yield();
            return TaskResult.Success(0);
        });

        var (current, setByBody) = await seen.Task.Guarded();
        Assert.Equal(id, current);
        Assert.Null(setByBody);
    }

    [Fact]
    public async Task End_OfABodyThatFaultsAfterSuspending_IsFailedWithItsMessage()
    {
        await using var fixture = new ManagerFixture();

        var id = await fixture.Manager.SpawnAsync("t1", "probe", null, "fails late", TaskParentContext.None, async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("late failure");
        });

        var terminal = await fixture.Manager.WaitAsync(id).Guarded();
        Assert.Equal(BackgroundTaskStatus.Failed, terminal.Status);
        Assert.Contains("late failure", terminal.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnASchedulerWithAThreadOfItsOwn_LeavesNoCurrentTaskBehindOnThatThread()
    {
        // A task that captured no context (flow suppressed at the spawn) runs on the scheduler's thread as that thread
        // is; what the run set must end with it, or the next work on the thread would see a task that is not its own.
        using var scheduler = new DedicatedThreadScheduler();
        await using var manager = new BackgroundTaskManager(new TaskStateStore(), new BackgroundTaskManagerOptions { TaskScheduler = scheduler });
        Task<string> spawned;
        using (ExecutionContext.SuppressFlow())
        {
            spawned = manager.SpawnAsync("t1", "probe", null, "ends at once", TaskParentContext.None, static _ => Task.FromResult(TaskResult.Success(0)));
        }

        var id = await spawned.Guarded();
        await manager.WaitAsync(id).Guarded();

        Task<string?> probe;
        using (ExecutionContext.SuppressFlow())
        {
            probe = Task.Factory.StartNew(() => BackgroundTaskManager.CurrentTaskId, CancellationToken.None, TaskCreationOptions.None, scheduler);
        }

        Assert.Null(await probe.Guarded());
    }

    /// <summary>Runs every task on one thread of its own, one after the other.</summary>
    private sealed class DedicatedThreadScheduler : TaskScheduler, IDisposable
    {
        private readonly System.Collections.Concurrent.BlockingCollection<Task> _queue = [];
        private readonly Thread _thread;

        public DedicatedThreadScheduler()
        {
            _thread = new Thread(() =>
            {
                foreach (var task in _queue.GetConsumingEnumerable())
                {
                    TryExecuteTask(task);
                }
            })
            { IsBackground = true };
            _thread.Start();
        }

        public void Dispose()
        {
            _queue.CompleteAdding();
            _thread.Join();
            _queue.Dispose();
        }

        protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

        protected override void QueueTask(Task task) => _queue.Add(task);

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;
    }
}
