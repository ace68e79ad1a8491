using BackgroundTasks.Caching;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Store;

public sealed class TaskStateStoreTests
{
    [Fact]
    public async Task Snapshot_IsAPointInTimeCopy()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        var id = await fixture.SpawnGatedAsync(gate.Task);

        var snapshot = fixture.Store.Snapshot();
        gate.SetResult();
        await fixture.Manager.WaitAsync(id).Guarded();

        Assert.Equal(BackgroundTaskStatus.Running, snapshot.Tasks[id].Status);
        Assert.Equal(BackgroundTaskStatus.Completed, fixture.Store.Snapshot().Tasks[id].Status);
    }

    [Fact]
    public async Task Tasks_IsTheCacheTheManagerWrites()
    {
        await using var fixture = new ManagerFixture();
        var reasons = new List<ChangeReason>();
        using var subscription = fixture.Store.Tasks.Connect().Subscribe(set => reasons.AddRange(set.Select(c => c.Reason)));

        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(0)));
        await fixture.Manager.WaitAsync(id).Guarded();

        Assert.Equal([ChangeReason.Add, ChangeReason.Update], reasons);
        Assert.Equal(1, fixture.Store.Tasks.Count);
        Assert.Same(fixture.Store.Lookup(id), fixture.Store.Tasks.Lookup(id));
    }

    [Fact]
    public void Lookup_UnknownId_ReturnsNull_AndNullIdThrows()
    {
        using var store = new TaskStateStore();
        Assert.Null(store.Lookup("bg_0"));
        Assert.Throws<ArgumentNullException>(() => store.Lookup(null!));
        Assert.Empty(store.Snapshot().Tasks);
    }

    [Fact]
    public void Dispose_CompletesSubscribers_AndIsIdempotent()
    {
        var store = new TaskStateStore();
        var completed = false;
        using var subscription = store.Tasks.Connect().Subscribe(_ => { }, () => completed = true);

        store.Dispose();
        store.Dispose();

        Assert.True(completed);
    }
}
