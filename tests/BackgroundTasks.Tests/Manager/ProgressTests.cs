using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Store;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class ProgressTests
{
    [Fact]
    public async Task ReportProgress_UpdatesTheRecord_AsAnUpdateForConnectAndWatch_AndTheTerminalRecordKeepsIt()
    {
        await using var fixture = new ManagerFixture();
        var updates = new List<TaskProgress?>();
        using var connect = fixture.Manager.Connect("t1").Subscribe(changes =>
        {
            foreach (var change in changes.Where(c => c.Reason == ChangeReason.Update))
            {
                updates.Add(change.Current.Progress);
            }
        });
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async context =>
        {
            context.ReportProgress(0.25, "page 1 of 4");
            context.ReportProgress(0.5);
            reported.SetResult();
            await finish.Task;
            return TaskResult.Success(1);
        });
        await reported.Task.Guarded();

        // A UI attaching now sees the progress in the record itself.
        Assert.Equal(new TaskProgress(0.5, null), fixture.Store.Lookup(id)!.Progress);
        var watched = new List<TaskSummary>();
        using var watch = fixture.Manager.Watch(id).Subscribe(watched.Add);
        Assert.Equal(new TaskProgress(0.5, null), watched[0].Progress);

        finish.SetResult();
        var terminal = await fixture.Manager.WaitAsync(id).Guarded();

        Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
        Assert.Equal(new TaskProgress(0.5, null), terminal.Progress);
        Assert.Equal([new TaskProgress(0.25, "page 1 of 4"), new TaskProgress(0.5, null), new TaskProgress(0.5, null)], updates);
    }

    [Fact]
    public async Task ReportProgress_FromAnAgentContext_UpdatesTheRecord()
    {
        await using var fixture = new ManagerFixture();

        var id = await fixture.Manager.SpawnAgentWithContextAsync("t1", null, "agent", TaskParentContext.None, context =>
        {
            context.ReportProgress(null, "thinking");
            return Task.FromResult(TaskResult.Success(1));
        });

        Assert.Equal(new TaskProgress(null, "thinking"), (await fixture.Manager.WaitAsync(id).Guarded()).Progress);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public async Task ReportProgress_OutsideZeroToOneOrNaN_ThrowsArgumentOutOfRange_OnBothContexts(double fraction)
    {
        await using var fixture = new ManagerFixture();
        Exception? plain = null;
        Exception? agent = null;

        var first = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, context =>
        {
            plain = Record.Exception(() => context.ReportProgress(fraction));
            return Task.FromResult(TaskResult.Success(1));
        });
        var second = await fixture.Manager.SpawnAgentWithContextAsync("t1", null, "agent", TaskParentContext.None, context =>
        {
            agent = Record.Exception(() => context.ReportProgress(fraction, "x"));
            return Task.FromResult(TaskResult.Success(1));
        });
        await fixture.Manager.WaitAsync(first).Guarded();
        await fixture.Manager.WaitAsync(second).Guarded();

        foreach (var exception in new[] { plain, agent })
        {
            var outOfRange = Assert.IsType<ArgumentOutOfRangeException>(exception);
            Assert.Equal("fraction", outOfRange.ParamName);
            Assert.StartsWith("A progress fraction must be between 0 and 1 (or null when unknown), but it is", outOfRange.Message, StringComparison.Ordinal);
        }

        Assert.Null(fixture.Store.Lookup(first)!.Progress);
    }

    [Fact]
    public async Task ReportProgress_AfterTheTaskEnded_IsIgnored()
    {
        await using var fixture = new ManagerFixture();
        TaskContext? leaked = null;
        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, context =>
        {
            leaked = context;
            context.ReportProgress(1, "done");
            return Task.FromResult(TaskResult.Success(1));
        });
        var terminal = await fixture.Manager.WaitAsync(id).Guarded();

        leaked!.ReportProgress(0.1, "late");

        Assert.Same(terminal, fixture.Store.Lookup(id));
        Assert.Equal(new TaskProgress(1, "done"), terminal.Progress);
    }

    [Fact]
    public async Task ReportProgress_RacingFromManyThreadsWithTheEnd_NeverOverwritesTheTerminalRecord()
    {
        await using var fixture = new ManagerFixture();
        var stop = new CancellationTokenSource();
        var reporters = new List<Task>();
        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async context =>
        {
            for (var r = 0; r < 4; r++)
            {
                reporters.Add(Task.Run(() =>
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        context.ReportProgress(i % 100 / 100.0);
                    }
                }));
            }

            await Task.Yield();
            return TaskResult.Success(1);
        });

        var terminal = await fixture.Manager.WaitAsync(id).Guarded();
        await stop.CancelAsync();
        await Task.WhenAll(reporters).Guarded();

        Assert.Same(terminal, fixture.Store.Lookup(id));
        Assert.Equal(BackgroundTaskStatus.Completed, fixture.Store.Lookup(id)!.Status);
    }

    [Fact]
    public async Task ReportProgress_TenThousandTimes_WithADurableStore_CoalescesTheWrites_AndSavesTheTerminalRecord()
    {
        var persistence = new FakePersistence();
        await using var store = await TaskStateStore.OpenAsync(persistence);
        await using var manager = new BackgroundTaskManager(store);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async context =>
        {
            await go.Task;
            for (var i = 1; i <= 10_000; i++)
            {
                context.ReportProgress(i / 10_000.0, $"step {i}");
            }

            reported.SetResult();
            return TaskResult.Success(1);
        });

        // The first progress write is held on its way to the disk while the body reports the other 9,999 times.
        var saves = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        persistence.HoldSaves(saves.Task);
        go.SetResult();
        await reported.Task.Guarded();
        saves.SetResult();
        await manager.WaitAsync(id).Guarded();
        await store.DisposeAsync();

        var written = persistence.Saves.SelectMany(batch => batch).Where(record => record.TaskId == id).ToList();

        // The spawn, the first report, maybe the newest one after it (unless the end came first), the end.
        Assert.InRange(written.Count, 3, 4);
        Assert.Equal(new TaskProgress(0.0001, "step 1"), written[1].Progress);
        Assert.Equal(BackgroundTaskStatus.Completed, written[^1].Status);
        var stored = persistence.Stored(id)!;
        Assert.Equal(BackgroundTaskStatus.Completed, stored.Status);
        Assert.Equal(new TaskProgress(1, "step 10000"), stored.Progress);
    }
}
