using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using BackgroundTasks.Caching;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.Tests.Controls;

public sealed class ConcurrencyLimitTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Spawn_BeyondTheLimit_WritesAQueuedRecord_WithNoStartedAtAndAttemptZero()
    {
        await using var fixture = Limited(maxRunning: 1);
        var gate = new TaskCompletionSource();
        var running = await fixture.SpawnGatedAsync(gate.Task);
        var entered = false;

        var queued = await fixture.Manager.SpawnAsync("t1", "x", null, "waits", TaskParentContext.None, _ =>
        {
            entered = true;
            return Task.FromResult(TaskResult.Success(1));
        });

        var record = fixture.Store.Lookup(queued)!;
        Assert.Equal(BackgroundTaskStatus.Queued, record.Status);
        Assert.Null(record.StartedAt);
        Assert.Equal(0, record.Attempt);
        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(running)!.Status);
        Assert.False(entered);
        gate.SetResult();
        Assert.Equal(BackgroundTaskStatus.Completed, (await fixture.Manager.WaitAsync(queued).Guarded()).Status);
        Assert.True(entered);
    }

    [Fact]
    public async Task QueuedTask_StartsWhenARunningOneEnds_AsAnUpdateToRunning_WithStartedAtAndAttemptOne()
    {
        var clock = new FakeTimeProvider(s_start);
        await using var fixture = Limited(maxRunning: 1, clock: clock);
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();
        await fixture.SpawnGatedAsync(first.Task);
        var queued = await fixture.SpawnGatedAsync(second.Task);
        var changes = new List<Change<TaskSummary, string>>();
        using var subscription = fixture.Store.Tasks.Watch(queued).Subscribe(changes.Add);
        var started = fixture.Store.Tasks.Watch(queued).FirstAsync(c => c.Current.Status == BackgroundTaskStatus.Running).ToTask();

        clock.Advance(TimeSpan.FromMinutes(3));
        first.SetResult();

        var running = (await started.Guarded()).Current;
        Assert.Equal(s_start + TimeSpan.FromMinutes(3), running.StartedAt);
        Assert.Equal(s_start, running.CreatedAt);
        Assert.Equal(1, running.Attempt);
        second.SetResult();
        var terminal = await fixture.Manager.WaitAsync(queued).Guarded();
        Assert.Equal(running.StartedAt, terminal.StartedAt);
        Assert.Equal(1, terminal.Attempt);
        Assert.Equal(
            [BackgroundTaskStatus.Queued, BackgroundTaskStatus.Running, BackgroundTaskStatus.Completed],
            changes.Select(c => c.Current.Status));
    }

    [Fact]
    public async Task QueuedTasks_StartInSpawnOrder()
    {
        await using var fixture = Limited(maxRunning: 1);
        var gate = new TaskCompletionSource();
        var order = new List<string>();
        await fixture.SpawnGatedAsync(gate.Task);
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await SpawnRecordingStartAsync(fixture, order));
        }

        gate.SetResult();
        await fixture.Manager.WaitAllAsync(ids).Guarded();

        Assert.Equal(ids, order);
    }

    [Fact]
    public async Task AQueuedTask_StartsInItsSpawnersExecutionContext_NotInThatOfTheTaskWhoseEndFreedTheSlot()
    {
        await using var fixture = Limited(maxRunning: 1);
        var marker = new AsyncLocal<string>();
        var gate = new TaskCompletionSource();
        await fixture.Manager.SpawnAsync("t1", "first", null, "marks its flow", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            marker.Value = "first body";
            return TaskResult.Success(0);
        });
        marker.Value = "spawner";
        string? seenByBody = null;
        var queued = await fixture.Manager.SpawnAsync("t1", "second", null, "reads the flow", TaskParentContext.None, _ =>
        {
            seenByBody = marker.Value;
            return Task.FromResult(TaskResult.Success(0));
        });
        var observerSaw = new TaskCompletionSource<(string? Marker, string? CurrentTaskId)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Store.Tasks.Watch(queued).Subscribe(change =>
        {
            if (change.Current.Status == BackgroundTaskStatus.Running)
            {
                observerSaw.TrySetResult((marker.Value, BackgroundTaskManager.CurrentTaskId));
            }
        });

        gate.SetResult();
        await fixture.Manager.WaitAsync(queued).Guarded();

        Assert.Equal("spawner", seenByBody);
        Assert.Equal(("spawner", (string?)null), await observerSaw.Task.Guarded());
    }

    [Fact]
    public async Task ChildTasks_AreNeverQueued_SoAParentCanWaitForItsChildren()
    {
        await using var fixture = Limited(maxRunning: 1);
        var parent = await fixture.Manager.SpawnAsync("t1", "parent", null, "spawns a child", TaskParentContext.None, async context =>
        {
            var child = await fixture.Manager.SpawnAsync("t1", "child", null, "inside", TaskParentContext.None,
                _ => Task.FromResult(TaskResult.Success(7)));
            var explicitChild = await fixture.Manager.SpawnAsync("t1", "child", null, "named parent",
                new TaskParentContext { TaskId = context.TaskId }, _ => Task.FromResult(TaskResult.Success(8)));
            var results = await fixture.Manager.WaitAllAsync([child, explicitChild]);
            return TaskResult.Success(results.Sum(r => r.Result!.Value.GetInt32()));
        });

        var terminal = await fixture.Manager.WaitAsync(parent).Guarded();

        Assert.Equal(15, terminal.Result!.Value.GetInt32());
        Assert.All(fixture.Store.Tasks.Items, s => Assert.Equal(1, s.Attempt));
    }

    [Fact]
    public async Task TheLimit_IsPerOwnerThread()
    {
        await using var fixture = Limited(maxRunning: 1);
        var gate = new TaskCompletionSource();
        await fixture.SpawnGatedAsync(gate.Task, owner: "t1");

        var other = await fixture.SpawnGatedAsync(gate.Task, owner: "t2");

        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(other)!.Status);
        gate.SetResult();
    }

    [Fact]
    public async Task MaxQueuedPerOwner_RefusesTheSpawnThatWouldQueueOneMore_LeavingNothingBehind()
    {
        await using var fixture = Limited(maxRunning: 1, maxQueued: 2);
        var gate = new TaskCompletionSource();
        await fixture.SpawnGatedAsync(gate.Task);
        await fixture.SpawnGatedAsync(gate.Task);
        await fixture.SpawnGatedAsync(gate.Task);

        var refused = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnGatedAsync(gate.Task, name: "late"));

        Assert.Equal(SpawnError.QueueFull, refused.Error);
        Assert.Equal("Thread 't1' already has 2 queued tasks, the most MaxQueuedPerOwner allows; the spawn was refused.", refused.Message);
        Assert.Equal(3, fixture.Store.Tasks.Count);
        Assert.Equal("bg_3", await fixture.SpawnGatedAsync(gate.Task, owner: "t2", name: "late"));
        gate.SetResult();
        await fixture.Manager.WaitAllAsync(["bg_0", "bg_1", "bg_2", "bg_3"]).Guarded();

        // The refused name was never taken: the next spawn may use it.
        Assert.Equal("bg_4", await fixture.SpawnGatedAsync(Task.CompletedTask, name: "late"));
    }

    [Fact]
    public async Task QueuedTasks_HoldTheirNames()
    {
        await using var fixture = Limited(maxRunning: 1);
        var gate = new TaskCompletionSource();
        await fixture.SpawnGatedAsync(gate.Task);
        await fixture.SpawnGatedAsync(gate.Task, name: "researcher");

        var duplicate = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnGatedAsync(gate.Task, name: "researcher"));

        Assert.Equal(SpawnError.DuplicateName, duplicate.Error);
        gate.SetResult();
    }

    [Fact]
    public async Task HasRunningAsync_CountsAQueuedRecord()
    {
        await using var fixture = new ManagerFixture();
        var queued = new TaskSummary
        {
            TaskId = "elsewhere", OwnerThreadId = "t1", TaskType = "x", Description = "d",
            Status = BackgroundTaskStatus.Queued, CreatedAt = s_start,
        };

        // A record another manager sharing the store has queued: this manager has no runtime for it.
        await fixture.Store.WriteAsync(queued);

        Assert.True(await fixture.Manager.HasRunningAsync("t1"));
        Assert.False(await fixture.Manager.HasRunningAsync("t2"));
    }

    /// <summary>Spawns a task whose body adds its id to <paramref name="order"/> and completes.</summary>
    internal static Task<string> SpawnRecordingStartAsync(ManagerFixture fixture, List<string> order) =>
        fixture.Manager.SpawnAsync("t1", "x", null, "records its start", TaskParentContext.None, context =>
        {
            lock (order)
            {
                order.Add(context.TaskId);
            }

            return Task.FromResult(TaskResult.Success(0));
        });

    internal static ManagerFixture Limited(int maxRunning, int? maxQueued = null, TimeProvider? clock = null) =>
        new(new BackgroundTaskManagerOptions
        {
            MaxRunningPerOwner = maxRunning,
            MaxQueuedPerOwner = maxQueued,
            TimeProvider = clock ?? TimeProvider.System,
        });
}
