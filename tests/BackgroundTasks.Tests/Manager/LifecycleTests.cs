using System.Text.Json;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.Tests.Manager;

public sealed class LifecycleTests
{
    [Fact]
    public async Task SpawnAsync_ReturnsSequentialIds_InSpawnOrder()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();

        var first = await fixture.SpawnGatedAsync(gate.Task);
        var second = await fixture.SpawnGatedAsync(gate.Task);
        var third = await fixture.SpawnGatedAsync(gate.Task);

        Assert.Equal(["bg_0", "bg_1", "bg_2"], new[] { first, second, third });
        gate.SetResult();
    }

    [Fact]
    public async Task SpawnAsync_WritesRunningRecordBeforeReturning()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();

        var id = await fixture.Manager.SpawnAsync("t1", "fetch", "fetcher", "fetches a page", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            return TaskResult.Success(1);
        });

        var record = fixture.Store.Lookup(id);
        Assert.NotNull(record);
        Assert.Equal(BackgroundTaskStatus.Running, record.Status);
        Assert.Equal("t1", record.OwnerThreadId);
        Assert.Equal("fetch", record.TaskType);
        Assert.Equal("fetcher", record.Name);
        Assert.Equal("fetches a page", record.Description);
        Assert.Null(record.CompletedAt);
        Assert.True(record.ParentContext.IsEmpty);
        gate.SetResult();
    }

    [Fact]
    public async Task SpawnAsync_NeverRunsBodyInlineOnCallersThread()
    {
        await using var fixture = new ManagerFixture();
        var callerThread = Environment.CurrentManagedThreadId;
        var bodyThread = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var id = await fixture.Manager.SpawnAsync("t1", "probe", null, "records its thread", TaskParentContext.None, _ =>
        {
            bodyThread.SetResult(Environment.CurrentManagedThreadId);
            return Task.FromResult(TaskResult.Success(0));
        });

        Assert.NotEqual(callerThread, await bodyThread.Task.Guarded());
        await fixture.Manager.WaitAsync(id).Guarded();
    }

    [Fact]
    public async Task SpawnAsync_RunsBodyOnConfiguredTaskScheduler()
    {
        var scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { TaskScheduler = scheduler });
        var seen = new TaskCompletionSource<TaskScheduler>(TaskCreationOptions.RunContinuationsAsynchronously);

        var id = await fixture.Manager.SpawnAsync("t1", "probe", null, "records its scheduler", TaskParentContext.None, _ =>
        {
            seen.SetResult(TaskScheduler.Current);
            return Task.FromResult(TaskResult.Success(0));
        });

        Assert.Same(scheduler, await seen.Task.Guarded());
        await fixture.Manager.WaitAsync(id).Guarded();
    }

    [Fact]
    public async Task Body_ReturningSuccess_IsCompletedWithResultKeptAfterTheBodyEnds()
    {
        await using var fixture = new ManagerFixture();

        var id = await fixture.Manager.SpawnAsync("t1", "calc", null, "adds", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Success(new { sum = 3 })));
        var terminal = await fixture.Manager.WaitAsync(id).Guarded();

        Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
        Assert.Equal(3, terminal.Result!.Value.GetProperty("sum").GetInt32());
        Assert.NotNull(terminal.CompletedAt);
        var stored = await fixture.Manager.GetAsync(id);
        Assert.Equal(BackgroundTaskStatus.Completed, stored!.Status);
        Assert.Equal(3, stored.Result!.Value.GetProperty("sum").GetInt32());
    }

    [Fact]
    public async Task Body_ReturningFailed_IsFailedWithItsError()
    {
        await using var fixture = new ManagerFixture();

        var id = await fixture.Manager.SpawnAsync("t1", "calc", null, "fails", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Failed("no luck")));
        var terminal = await fixture.Manager.WaitAsync(id).Guarded();

        Assert.Equal(BackgroundTaskStatus.Failed, terminal.Status);
        Assert.Equal("no luck", terminal.Error);
        Assert.Null(terminal.Result);
    }

    [Fact]
    public async Task Body_Throwing_IsFailedWithTheExceptionMessage()
    {
        await using var fixture = new ManagerFixture();

        var id = await fixture.Manager.SpawnAsync("t1", "calc", null, "throws", TaskParentContext.None,
            async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("boom");
            });

        var terminal = await fixture.Manager.WaitAsync(id).Guarded();
        Assert.Equal(BackgroundTaskStatus.Failed, terminal.Status);
        Assert.Equal("boom", terminal.Error);
    }

    [Fact]
    public async Task Body_ThrowingSynchronously_IsFailed()
    {
        await using var fixture = new ManagerFixture();

        var id = await fixture.Manager.SpawnAsync("t1", "calc", null, "throws at once", TaskParentContext.None,
            _ => throw new ArgumentException("bad input"));

        var terminal = await fixture.Manager.WaitAsync(id).Guarded();
        Assert.Equal(BackgroundTaskStatus.Failed, terminal.Status);
        Assert.Equal("bad input", terminal.Error);
    }

    [Fact]
    public async Task Body_ReturningNull_IsFailed()
    {
        await using var fixture = new ManagerFixture();

        var nullResult = await fixture.Manager.SpawnAsync("t1", "calc", null, "returns null", TaskParentContext.None,
            _ => Task.FromResult<TaskResult>(null!));
        var nullTask = await fixture.Manager.SpawnAsync("t1", "calc", null, "returns a null task", TaskParentContext.None,
            _ => null!);

        var first = await fixture.Manager.WaitAsync(nullResult).Guarded();
        var second = await fixture.Manager.WaitAsync(nullTask).Guarded();
        Assert.Equal(BackgroundTaskStatus.Failed, first.Status);
        Assert.Equal(Messages.NullResult, first.Error);
        Assert.Equal(BackgroundTaskStatus.Failed, second.Status);
        Assert.Equal(Messages.NullResult, second.Error);
    }

    [Fact]
    public async Task Body_ThrowingOperationCanceledWithoutCancellation_IsFailed()
    {
        await using var fixture = new ManagerFixture();

        var id = await fixture.Manager.SpawnAsync("t1", "calc", null, "times out on its own", TaskParentContext.None,
            _ => throw new OperationCanceledException("own timeout"));

        var terminal = await fixture.Manager.WaitAsync(id).Guarded();
        Assert.Equal(BackgroundTaskStatus.Failed, terminal.Status);
        Assert.Equal("own timeout", terminal.Error);
    }

    [Fact]
    public async Task Body_ThrowingOperationCanceledAfterCancel_IsCancelled()
    {
        await using var fixture = new ManagerFixture();
        var id = await fixture.SpawnWaitingAsync();

        Assert.Equal(BackgroundTaskStatus.Running, (await fixture.Manager.GetAsync(id))!.Status);
        Assert.True(await fixture.Manager.CancelAsync(id));

        var terminal = await fixture.Manager.WaitAsync(id).Guarded();
        Assert.Equal(BackgroundTaskStatus.Cancelled, terminal.Status);
        Assert.Null(terminal.Error);
    }

    [Fact]
    public async Task Body_ReturningCancelledResult_IsCancelled()
    {
        await using var fixture = new ManagerFixture();

        var id = await fixture.Manager.SpawnAsync("t1", "calc", null, "gives up", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Cancelled));

        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(id).Guarded()).Status);
    }

    [Fact]
    public async Task Body_IgnoringCancellation_EndsWithItsOwnResult()
    {
        await using var fixture = new ManagerFixture();
        var cancelled = new TaskCompletionSource();

        var id = await fixture.Manager.SpawnAsync("t1", "stubborn", null, "ignores cancellation", TaskParentContext.None, async context =>
        {
            await context.WhenCancelled();
            await cancelled.Task;
            return TaskResult.Success("finished anyway");
        });

        Assert.True(await fixture.Manager.CancelAsync(id));
        Assert.Equal(BackgroundTaskStatus.Running, (await fixture.Manager.GetAsync(id))!.Status);
        cancelled.SetResult();

        var terminal = await fixture.Manager.WaitAsync(id).Guarded();
        Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
        Assert.Equal("finished anyway", terminal.Result!.Value.GetString());
    }

    [Fact]
    public async Task TimeProvider_StampsCreatedAtAndCompletedAt()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { TimeProvider = clock });
        var gate = new TaskCompletionSource();

        var id = await fixture.SpawnGatedAsync(gate.Task);
        Assert.Equal(clock.GetUtcNow(), fixture.Store.Lookup(id)!.CreatedAt);

        clock.Advance(TimeSpan.FromMinutes(5));
        gate.SetResult();
        var terminal = await fixture.Manager.WaitAsync(id).Guarded();

        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), terminal.CreatedAt);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 9, 5, TimeSpan.Zero), terminal.CompletedAt);
    }

    [Fact]
    public async Task SpawnAsync_WithoutStore_FailsWithStoreNotConfigured()
    {
        await using var manager = new BackgroundTaskManager();

        var error = await Assert.ThrowsAsync<SpawnException>(() => manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Success(0))));

        Assert.Equal(SpawnError.StoreNotConfigured, error.Error);
        Assert.Equal(Messages.StoreNotConfigured, error.Message);
    }

    [Fact]
    public async Task SpawnAsync_OnDisposedStore_FailsWithStateAndLeavesNothingBehind()
    {
        var store = new TaskStateStore();
        await using var manager = new BackgroundTaskManager(store);
        store.Dispose();

        var error = await Assert.ThrowsAsync<SpawnException>(() => manager.SpawnAsync("t1", "x", "named", "d", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Success(0))));

        Assert.Equal(SpawnError.State, error.Error);
        Assert.IsType<ObjectDisposedException>(error.InnerException);
        Assert.False(await manager.CancelAsync("bg_0"));
        Assert.Null(await manager.GetAsync("bg_0"));
    }

    [Fact]
    public async Task SetStore_FirstCallWins()
    {
        await using var manager = new BackgroundTaskManager();
        using var first = new TaskStateStore();
        using var second = new TaskStateStore();

        manager.SetStore(first);
        manager.SetStore(second);
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(0)));
        await manager.WaitAsync(id).Guarded();

        Assert.NotNull(first.Lookup(id));
        Assert.Null(second.Lookup(id));
    }

    [Fact]
    public async Task CurrentTaskId_IsTheRunningBody_AndNullOutside()
    {
        await using var fixture = new ManagerFixture();
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);

        var id = await fixture.Manager.SpawnAsync("t1", "probe", null, "reads CurrentTaskId", TaskParentContext.None, async _ =>
        {
            await Task.Yield();
            seen.SetResult(BackgroundTaskManager.CurrentTaskId);
            return TaskResult.Success(0);
        });

        Assert.Equal(id, await seen.Task.Guarded());
        Assert.Null(BackgroundTaskManager.CurrentTaskId);
    }

    [Fact]
    public async Task ListAsync_ReturnsOnlyThatOwnersTasks_AndHasRunningTracksThem()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        var mine = await fixture.SpawnGatedAsync(gate.Task, owner: "t1");
        var theirs = await fixture.SpawnGatedAsync(gate.Task, owner: "t2");

        var list = await fixture.Manager.ListAsync("t1");
        Assert.Equal([mine], list.Select(s => s.TaskId));
        Assert.True(await fixture.Manager.HasRunningAsync("t1"));
        Assert.False(await fixture.Manager.HasRunningAsync("nobody"));
        Assert.Empty(await fixture.Manager.ListAsync("nobody"));

        gate.SetResult();
        await fixture.Manager.WaitAsync(mine).Guarded();
        await fixture.Manager.WaitAsync(theirs).Guarded();
        Assert.False(await fixture.Manager.HasRunningAsync("t1"));
        Assert.Equal(BackgroundTaskStatus.Completed, Assert.Single(await fixture.Manager.ListAsync("t1")).Status);
    }

    [Fact]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        await using var fixture = new ManagerFixture();
        Assert.Null(await fixture.Manager.GetAsync("bg_42"));
    }

    [Fact]
    public async Task SpawnAsync_ManyConcurrentSpawns_AllGetDistinctIdsAndEnd()
    {
        await using var fixture = new ManagerFixture();

        var ids = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(() =>
            fixture.Manager.SpawnAsync("t" + (i % 7), "calc", null, "d", TaskParentContext.None, async _ =>
            {
                await Task.Yield();
                return TaskResult.Success(i);
            })))).Guarded();

        Assert.Equal(500, ids.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 500).Select(i => "bg_" + i).Order(), ids.Order());
        var terminals = await Task.WhenAll(ids.Select(id => fixture.Manager.WaitAsync(id))).Guarded();
        Assert.All(terminals, t => Assert.Equal(BackgroundTaskStatus.Completed, t.Status));
        Assert.Equal(500, fixture.Store.Tasks.Count);
    }

    [Fact]
    public void Success_SerializesValueWithSystemTextJson()
    {
        var result = TaskResult.Success(new { a = 1 });
        Assert.Equal("{\"a\":1}", JsonSerializer.Serialize(result.Value));
    }
}
