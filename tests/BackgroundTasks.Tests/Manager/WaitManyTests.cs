using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class WaitManyTests
{
    [Fact]
    public async Task WaitAnyAsync_ReturnsTheFirstTaskToEnd()
    {
        await using var fixture = new ManagerFixture();
        var slow = new TaskCompletionSource();
        var fast = new TaskCompletionSource();
        var first = await fixture.SpawnGatedAsync(slow.Task, value: "slow");
        var second = await fixture.SpawnGatedAsync(fast.Task, value: "fast");

        var waiting = fixture.Manager.WaitAnyAsync([first, second]);
        Assert.False(waiting.IsCompleted);
        fast.SetResult();

        var ended = await waiting.Guarded();
        Assert.Equal(second, ended.TaskId);
        Assert.Equal("fast", ended.Result!.Value.GetString());
        slow.SetResult();
    }

    [Fact]
    public async Task WaitAnyAsync_ATaskAlreadyEnded_ReturnsAtOnce_TheFirstInTheOrderGiven()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        var live = await fixture.SpawnGatedAsync(gate.Task);
        var done = await fixture.SpawnGatedAsync(Task.CompletedTask, value: "a");
        var alsoDone = await fixture.SpawnGatedAsync(Task.CompletedTask, value: "b");
        await fixture.Manager.WaitAllAsync([done, alsoDone]).Guarded();

        var waiting = fixture.Manager.WaitAnyAsync([live, alsoDone, done]);

        Assert.True(waiting.IsCompletedSuccessfully);
        Assert.Equal(alsoDone, (await waiting).TaskId);
        gate.SetResult();
    }

    [Fact]
    public async Task WaitAllAsync_ReturnsEveryTerminalSummary_InTheOrderGiven()
    {
        await using var fixture = new ManagerFixture();
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource()).ToArray();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await fixture.SpawnGatedAsync(gates[i].Task, value: i));
        }

        var waiting = fixture.Manager.WaitAllAsync([ids[2], ids[0], ids[1], ids[0]]);
        gates[2].SetResult();
        gates[0].SetResult();
        Assert.False(waiting.IsCompleted);
        gates[1].SetResult();

        var all = await waiting.Guarded();
        Assert.Equal([ids[2], ids[0], ids[1], ids[0]], all.Select(s => s.TaskId));
        Assert.All(all, s => Assert.Equal(BackgroundTaskStatus.Completed, s.Status));
    }

    [Fact]
    public async Task WaitAnyAndWaitAll_AnUnknownId_ThrowKeyNotFound_NamingIt()
    {
        await using var fixture = new ManagerFixture();
        var known = await fixture.SpawnGatedAsync(Task.CompletedTask);

        var any = await Assert.ThrowsAsync<KeyNotFoundException>(() => fixture.Manager.WaitAnyAsync([known, "bg_99"]));
        var all = await Assert.ThrowsAsync<KeyNotFoundException>(() => fixture.Manager.WaitAllAsync([known, "bg_98"]));

        Assert.Equal("No task with id 'bg_99' exists.", any.Message);
        Assert.Equal("No task with id 'bg_98' exists.", all.Message);
    }

    [Fact]
    public async Task WaitAnyAndWaitAll_BadArguments_AreRefused()
    {
        await using var fixture = new ManagerFixture();

        await Assert.ThrowsAsync<ArgumentNullException>(() => fixture.Manager.WaitAnyAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => fixture.Manager.WaitAllAsync(null!));
        var emptyAny = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Manager.WaitAnyAsync([]));
        var emptyAll = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Manager.WaitAllAsync([]));
        var nullAny = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Manager.WaitAnyAsync([null!]));
        var nullAll = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Manager.WaitAllAsync([null!]));

        Assert.All([emptyAny, emptyAll], e => Assert.StartsWith("At least one task id is needed; the collection is empty.", e.Message));
        Assert.All([nullAny, nullAll], e => Assert.StartsWith("The collection of task ids holds a null id.", e.Message));
        Assert.All([emptyAny, emptyAll, nullAny, nullAll], e => Assert.Equal("taskIds", e.ParamName));
    }

    [Fact]
    public async Task WaitAnyAndWaitAll_TheTokenCancelledFirst_ThrowOperationCanceled()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        var live = await fixture.SpawnGatedAsync(gate.Task);
        var done = await fixture.SpawnGatedAsync(Task.CompletedTask);
        await fixture.Manager.WaitAsync(done).Guarded();
        using var cancellation = new CancellationTokenSource();

        var any = fixture.Manager.WaitAnyAsync([live], cancellation.Token);
        var all = fixture.Manager.WaitAllAsync([done, live], cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => any).Guarded();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => all).Guarded();
        Assert.Equal(BackgroundTaskStatus.Running, fixture.Store.Lookup(live)!.Status);
        gate.SetResult();
    }
}
