using BackgroundTasks.Caching;
using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static BackgroundTasks.Tests.Store.DurableStoreTests;

namespace BackgroundTasks.Tests.Store;

public sealed class RetentionTests
{
    private static readonly DateTimeOffset s_now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PruneAsync_ByAge_RemovesOldTerminalRecords_FromCacheIndexAndDisk()
    {
        var clock = new FakeTimeProvider(s_now);
        var persistence = new FakePersistence(
            Record("bg_0", BackgroundTaskStatus.Completed, completedAt: s_now.AddHours(-3)),
            Record("bg_1", BackgroundTaskStatus.Failed, completedAt: s_now.AddMinutes(-30)),
            Record("bg_2", BackgroundTaskStatus.Cancelled, completedAt: s_now.AddMinutes(-59)));
        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions
        {
            TimeProvider = clock,
            RetainTerminalFor = TimeSpan.FromHours(1),
            PruneInterval = Timeout.InfiniteTimeSpan,
        });

        // Opening pruned the record that was already too old.
        Assert.Null(store.Lookup("bg_0"));
        Assert.Null(persistence.Stored("bg_0"));

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await store.PruneAsync());

        Assert.Equal(["bg_1"], store.Tasks.Keys);
        Assert.Equal(["bg_1"], store.Index.TasksOfOwner("t1"));
        Assert.Equal(["bg_1"], persistence.AllStored().Select(r => r.TaskId));
        Assert.Equal(0, await store.PruneAsync());
    }

    [Fact]
    public async Task PruneAsync_ByCount_KeepsTheNewestTerminalRecordsOfEachOwner()
    {
        var persistence = new FakePersistence(
            Record("bg_0", BackgroundTaskStatus.Completed, completedAt: s_now.AddMinutes(-4)),
            Record("bg_1", BackgroundTaskStatus.Completed, completedAt: s_now.AddMinutes(-1)),
            Record("bg_2", BackgroundTaskStatus.Completed, completedAt: s_now.AddMinutes(-3)),
            Record("bg_9", BackgroundTaskStatus.Completed, completedAt: s_now.AddMinutes(-2)),
            Record("bg_10", BackgroundTaskStatus.Completed, completedAt: s_now.AddMinutes(-2)),
            Record("bg_5", BackgroundTaskStatus.Completed, owner: "t2", completedAt: s_now.AddMinutes(-9)));
        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions
        {
            TimeProvider = new FakeTimeProvider(s_now),
            MaxTerminalPerOwner = 2,
        });

        // Newest first: bg_1, then the tie bg_10/bg_9 goes to the later id.
        Assert.Equal(["bg_1", "bg_10", "bg_5"], store.Tasks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["bg_1", "bg_10", "bg_5"], persistence.AllStored().Select(r => r.TaskId).Order(StringComparer.Ordinal));
        Assert.Equal(["bg_0", "bg_2", "bg_9"], persistence.Removals.SelectMany(ids => ids).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Pruning_NeverRemovesRunningTasks()
    {
        var clock = new FakeTimeProvider(s_now);
        await using var store = await TaskStateStore.OpenAsync(new FakePersistence(), new TaskStateStoreOptions
        {
            TimeProvider = clock,
            RetainTerminalFor = TimeSpan.Zero,
            PruneInterval = Timeout.InfiniteTimeSpan,
        });
        await using var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { TimeProvider = clock });
        var running = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, WaitForCancellation);
        var done = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        await manager.WaitAsync(done).Guarded();
        clock.Advance(TimeSpan.FromDays(365));

        Assert.Equal(1, await store.PruneAsync());

        Assert.Equal([running], store.Tasks.Keys);
        Assert.True(await manager.HasRunningAsync("t1"));
    }

    [Fact]
    public async Task Pruning_RunsByItselfOnTheTimeProvider()
    {
        var clock = new FakeTimeProvider(s_now);
        var persistence = new FakePersistence(Record("bg_0", BackgroundTaskStatus.Completed, completedAt: s_now));
        await using var store = await TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions
        {
            TimeProvider = clock,
            RetainTerminalFor = TimeSpan.FromMinutes(10),
            PruneInterval = TimeSpan.FromMinutes(1),
        });
        var removed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = store.Tasks.Connect()
            .Subscribe(changes => { foreach (var change in changes.Where(c => c.Reason == ChangeReason.Remove)) removed.TrySetResult(change.Key); });

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.False(removed.Task.IsCompleted);
        Assert.NotNull(store.Lookup("bg_0"));
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("bg_0", await removed.Task.Guarded());
        await persistence.WhenRemoved("bg_0").Guarded();
    }

    [Fact]
    public async Task InMemoryStore_PrunesToo_OnItsTimerAndOnRequest()
    {
        var clock = new FakeTimeProvider(s_now);
        using var store = new TaskStateStore(new TaskStateStoreOptions
        {
            TimeProvider = clock,
            RetainTerminalFor = TimeSpan.FromMinutes(5),
            PruneInterval = TimeSpan.FromMinutes(1),
        });
        await store.WriteAsync(Record("bg_0", BackgroundTaskStatus.Completed, completedAt: s_now));
        await store.WriteAsync(Record("bg_1", BackgroundTaskStatus.Running));

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(["bg_1"], store.Tasks.Keys);
        Assert.Equal(["bg_1"], store.Index.TasksOfOwner("t1"));
        Assert.Equal(0, await store.PruneAsync());
    }

    [Fact]
    public async Task PruneAsync_WithoutRetention_RemovesNothing()
    {
        using var memory = new TaskStateStore();
        await memory.WriteAsync(Record("bg_0", BackgroundTaskStatus.Completed, completedAt: DateTimeOffset.UnixEpoch));
        await using var durable = await TaskStateStore.OpenAsync(new FakePersistence(Record("bg_0", BackgroundTaskStatus.Completed)));

        Assert.Equal(0, await memory.PruneAsync());
        Assert.Equal(0, await durable.PruneAsync());
        Assert.Equal(1, memory.Tasks.Count);
        Assert.Equal(1, durable.Tasks.Count);
    }

    [Fact]
    public async Task OpenAsync_RetentionOverAPersistenceThatCannotRemove_IsAnArgumentError()
    {
        var persistence = new SaveOnlyPersistence();

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => TaskStateStore.OpenAsync(persistence, new TaskStateStoreOptions { MaxTerminalPerOwner = 10 }));

        Assert.Equal("persistence", error.ParamName);
        Assert.StartsWith($"The persistence {typeof(SaveOnlyPersistence).FullName} cannot remove records", error.Message, StringComparison.Ordinal);
        Assert.True(persistence.Disposed);
    }

    [Theory]
    [InlineData(nameof(TaskStateStoreOptions.RetainTerminalFor))]
    [InlineData(nameof(TaskStateStoreOptions.MaxTerminalPerOwner))]
    [InlineData(nameof(TaskStateStoreOptions.PruneInterval))]
    [InlineData(nameof(TaskStateStoreOptions.RetryDelay))]
    [InlineData(nameof(TaskStateStoreOptions.MaxRetryDelay))]
    public void Options_OutOfRange_AreRejectedByName(string property)
    {
        var options = property switch
        {
            nameof(TaskStateStoreOptions.RetainTerminalFor) => new TaskStateStoreOptions { RetainTerminalFor = TimeSpan.FromSeconds(-1) },
            nameof(TaskStateStoreOptions.MaxTerminalPerOwner) => new TaskStateStoreOptions { MaxTerminalPerOwner = -1 },
            nameof(TaskStateStoreOptions.PruneInterval) => new TaskStateStoreOptions { PruneInterval = TimeSpan.Zero },
            nameof(TaskStateStoreOptions.RetryDelay) => new TaskStateStoreOptions { RetryDelay = TimeSpan.FromSeconds(-1) },
            _ => new TaskStateStoreOptions { RetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromSeconds(1) },
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TaskStateStore(options));

        Assert.Equal(property, error.ParamName);
        Assert.Throws<ArgumentNullException>(() => new TaskStateStore(null!));
    }

    private sealed class SaveOnlyPersistence : ITaskStatePersistence
    {
        public bool Disposed { get; private set; }

        public Task<IReadOnlyList<TaskSummary>> LoadAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<TaskSummary>>([]);

        public Task SaveAsync(IReadOnlyList<TaskSummary> changed, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
