using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using BackgroundTasks.Caching;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class ObservationTests
{
    [Fact]
    public async Task Watch_EmitsCurrentThenChanges_AndCompletesAfterTerminal()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        var id = await fixture.SpawnGatedAsync(gate.Task);
        var observer = new OverlapDetectingObserver<TaskSummary>();
        using var subscription = fixture.Manager.Watch(id).Subscribe(observer);

        gate.SetResult();
        await observer.Completed.Guarded();

        Assert.Collection(observer.Items,
            s => Assert.Equal(BackgroundTaskStatus.Running, s.Status),
            s => Assert.Equal(BackgroundTaskStatus.Completed, s.Status));
    }

    [Fact]
    public async Task Watch_OfEndedTask_EmitsTheTerminalRecordAndCompletes()
    {
        await using var fixture = new ManagerFixture();
        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Failed("no")));
        await fixture.Manager.WaitAsync(id).Guarded();

        var all = await fixture.Manager.Watch(id).ToList().ToTask().Guarded();

        Assert.Equal(BackgroundTaskStatus.Failed, Assert.Single(all).Status);
    }

    [Fact]
    public async Task Watch_ComposesWithRxOperators()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        var id = await fixture.SpawnGatedAsync(gate.Task, value: "answer");

        var finalResult = fixture.Manager.Watch(id)
            .Where(s => s.Status.IsTerminal())
            .Select(s => s.Result!.Value.GetString())
            .FirstAsync()
            .ToTask();
        gate.SetResult();

        Assert.Equal("answer", await finalResult.Guarded());
    }

    [Fact]
    public async Task Connect_ForOwner_SeesSnapshotThenOnlyThatOwnersChanges()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();
        var existing = await fixture.SpawnGatedAsync(gate.Task, owner: "t1");
        var changes = new List<Change<TaskSummary, string>>();
        using var subscription = fixture.Manager.Connect("t1").Subscribe(set =>
        {
            lock (changes)
            {
                changes.AddRange(set);
            }
        });
        await fixture.SpawnGatedAsync(gate.Task, owner: "t2");
        var added = await fixture.SpawnGatedAsync(gate.Task, owner: "t1");
        gate.SetResult();
        await fixture.Manager.WaitAsync(existing).Guarded();
        await fixture.Manager.WaitAsync(added).Guarded();

        lock (changes)
        {
            Assert.All(changes, c => Assert.Equal("t1", c.Current.OwnerThreadId));
            Assert.Equal(ChangeReason.Add, changes[0].Reason);
            Assert.Equal(existing, changes[0].Key);
            Assert.Equal(2, changes.Count(c => c.Reason == ChangeReason.Add));
            Assert.Equal(2, changes.Count(c => c.Reason == ChangeReason.Update && c.Current.Status == BackgroundTaskStatus.Completed));
        }
    }

    [Fact]
    public async Task Connect_UnderManyConcurrentTasks_NeverOverlapsAndKeepsPerKeyOrder()
    {
        await using var fixture = new ManagerFixture();
        var observer = new OverlapDetectingObserver<IChangeSet<TaskSummary, string>>();
        using var subscription = fixture.Manager.Connect().Subscribe(observer);

        var ids = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() =>
            fixture.Manager.SpawnAsync("t" + (i % 5), "x", null, "d", TaskParentContext.None, async _ =>
            {
                await Task.Yield();
                return TaskResult.Success(i);
            })))).Guarded();
        await Task.WhenAll(ids.Select(id => fixture.Manager.WaitAsync(id))).Guarded();

        Assert.Equal(0, observer.Overlaps);
        var perKey = observer.Items.SelectMany(set => set).GroupBy(c => c.Key).ToList();
        Assert.Equal(300, perKey.Count);
        Assert.All(perKey, changes => Assert.Collection(changes,
            c => Assert.Equal((ChangeReason.Add, BackgroundTaskStatus.Running), (c.Reason, c.Current.Status)),
            c => Assert.Equal((ChangeReason.Update, BackgroundTaskStatus.Completed), (c.Reason, c.Current.Status))));
    }

    [Fact]
    public async Task Events_UnderManyConcurrentTasks_NeverOverlaps()
    {
        await using var fixture = new ManagerFixture();
        var observer = new OverlapDetectingObserver<TaskEvent>();
        using var subscription = fixture.Manager.Events.Subscribe(observer);

        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() =>
            fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, context =>
            {
                context.Emit("progress", 1);
                context.Emit("progress", 2);
                return Task.FromResult(TaskResult.Success(0));
            })))).Guarded();
        await Task.WhenAll(ids.Select(id => fixture.Manager.WaitAsync(id))).Guarded();

        Assert.Equal(0, observer.Overlaps);
        Assert.Equal(600, observer.Items.Count);
        Assert.All(observer.Items.GroupBy(e => e.TaskId), events => Assert.IsType<TaskEvent.Completed>(events.Last()));
    }

    [Fact]
    public async Task ObserverCallingBackIntoTheManager_DoesNotDeadlock()
    {
        await using var fixture = new ManagerFixture();
        var followUps = new TaskCompletionSource<(int Listed, bool Cancelled, string Spawned)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Manager.Connect().Subscribe(set =>
        {
            foreach (var change in set)
            {
                if (change.Current.Status == BackgroundTaskStatus.Completed && change.Current.Name == "first")
                {
                    // Spawn, cancel and query from inside OnNext, synchronously.
                    var listed = fixture.Manager.ListAsync("t1").Result.Count;
                    var spawned = fixture.SpawnWaitingAsync(name: "second").Result;
                    var cancelled = fixture.Manager.CancelAsync(spawned).Result;
                    followUps.SetResult((listed, cancelled, spawned));
                }
            }
        });

        await fixture.Manager.SpawnAsync("t1", "x", "first", "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(0)));

        var (listedCount, wasCancelled, spawnedId) = await followUps.Task.Guarded();
        Assert.Equal(1, listedCount);
        Assert.True(wasCancelled);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(spawnedId).Guarded()).Status);
    }

    [Fact]
    public async Task EventsObserverCallingBackIntoTheManager_DoesNotDeadlock()
    {
        await using var fixture = new ManagerFixture();
        var spawnedFromObserver = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Manager.Events.OfType<TaskEvent.Completed>().Take(1).Subscribe(_ =>
            spawnedFromObserver.SetResult(fixture.SpawnWaitingAsync().Result));

        await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(0)));

        Assert.Equal("bg_1", await spawnedFromObserver.Task.Guarded());
    }

    [Fact]
    public async Task ObserverDisposingInsideOnNext_ReceivesNothingMore()
    {
        await using var fixture = new ManagerFixture();
        var received = 0;
        IDisposable? subscription = null;
        subscription = fixture.Manager.Connect().Subscribe(_ =>
        {
            Interlocked.Increment(ref received);
            subscription?.Dispose();
        });
        var gate = new TaskCompletionSource();

        var id = await fixture.SpawnGatedAsync(gate.Task);
        gate.SetResult();
        await fixture.Manager.WaitAsync(id).Guarded();
        await fixture.SpawnWaitingAsync();

        Assert.Equal(1, Volatile.Read(ref received));
    }

    [Fact]
    public async Task Connect_BeforeStoreIsBound_DeliversFromTheMomentOneIs()
    {
        await using var manager = new BackgroundTaskManager();
        var first = new TaskCompletionSource<IChangeSet<TaskSummary, string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = manager.Connect("t1").Subscribe(changes => first.TrySetResult(changes));

        using var store = new TaskStateStore();
        manager.SetStore(store);
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        var changes = await first.Task.Guarded();
        await manager.WaitAsync(id).Guarded();

        // Whether the observer attached before or after the spawn, its first change set adds the task.
        Assert.Equal(ChangeReason.Add, Assert.Single(changes).Reason);
        Assert.Equal(id, changes[0].Key);
    }

    [Fact]
    public async Task Watch_BeforeStoreIsBound_FollowsTheTaskOnceOneIs()
    {
        await using var manager = new BackgroundTaskManager();
        var seen = manager.Watch("bg_0").Select(summary => summary.Status).ToList().ToTask();

        using var store = new TaskStateStore();
        manager.SetStore(store);
        var gate = new TaskCompletionSource();
        await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            return TaskResult.Success(1);
        });
        gate.SetResult();

        Assert.Equal(BackgroundTaskStatus.Completed, (await seen.Guarded())[^1]);
    }

    [Fact]
    public async Task Connect_DisposedBeforeStoreIsBound_NeverSubscribes()
    {
        await using var manager = new BackgroundTaskManager();
        var received = 0;
        manager.Connect().Subscribe(_ => Interlocked.Increment(ref received)).Dispose();

        using var store = new TaskStateStore();
        manager.SetStore(store);
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        await manager.WaitAsync(id).Guarded();

        Assert.NotNull(await manager.Connect().FirstAsync().ToTask().Guarded());
        Assert.Equal(0, Volatile.Read(ref received));
    }

    [Fact]
    public async Task ObserverThatThrows_DoesNotBreakSpawnOrLeaveATaskRunning()
    {
        await using var fixture = new ManagerFixture();
        using var subscription = fixture.Manager.Connect().Subscribe(_ => throw new InvalidOperationException("observer broke"));

        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        var terminal = await fixture.Manager.WaitAsync(id).Guarded();

        Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
        Assert.Equal(BackgroundTaskStatus.Completed, fixture.Store.Lookup(id)!.Status);
    }
}
