using System.Globalization;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

/// <summary>Issue 9, defect 7: the marks of cancelled runs are bounded, and a run with a live task keeps its mark.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class CancelledRunMarksTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Create_MaxCancelledRunsBelowOne_Throws(int limit) =>
        Assert.Throws<ArgumentOutOfRangeException>("MaxCancelledRuns", () => new BackgroundTaskManager(new BackgroundTaskManagerOptions { MaxCancelledRuns = limit }));

    [Fact]
    public async Task CancelDescendantsForRunAsync_200kRuns_MemoryStaysBounded()
    {
        const int Runs = 200_000;
        await using var fixture = new ManagerFixture();
        await fixture.Manager.CancelDescendantsForRunAsync("warm-up");

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < Runs; i++)
        {
            await fixture.Manager.CancelDescendantsForRunAsync(string.Create(CultureInfo.InvariantCulture, $"run-{i}"));
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;

        // Unbounded, 200k marks held about 28 MB (a set entry and the id string each); the default keeps 10k.
        Assert.InRange(grown, long.MinValue, 4L * 1024 * 1024);
        var refused = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnWaitingAsync(parent: new TaskParentContext { RunId = $"run-{Runs - 1}" }));
        Assert.Equal(SpawnError.ParentRunCancelled, refused.Error);
    }

    [Fact]
    public async Task OldestRunWithNoLiveTask_IsForgottenOnceTheBoundIsPassed_ThenASpawnForItIsAccepted()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { MaxCancelledRuns = 3 });
        for (var i = 0; i < 4; i++)
        {
            await fixture.Manager.CancelDescendantsForRunAsync($"run-{i}");
        }

        var accepted = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { RunId = "run-0" });
        var refused = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnWaitingAsync(parent: new TaskParentContext { RunId = "run-1" }));

        Assert.Equal("run-0", fixture.Store.Lookup(accepted)!.ParentContext.RunId);
        Assert.Equal(SpawnError.ParentRunCancelled, refused.Error);
    }

    [Fact]
    public async Task RunWithALiveTask_KeepsItsMarkHoweverManyRunsAreCancelledAfterIt()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { MaxCancelledRuns = 2 });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var live = await fixture.Manager.SpawnAsync("t1", "x", null, "ignores its token until released", new TaskParentContext { RunId = "kept" }, async _ =>
        {
            await release.Task;
            return TaskResult.Cancelled;
        });
        Assert.Equal(1, await fixture.Manager.CancelDescendantsForRunAsync("kept"));
        for (var i = 0; i < 10; i++)
        {
            await fixture.Manager.CancelDescendantsForRunAsync($"later-{i}");
        }

        var refused = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnWaitingAsync(parent: new TaskParentContext { RunId = "kept" }));
        Assert.Equal(SpawnError.ParentRunCancelled, refused.Error);

        // Once its last task has ended, the run is the oldest mark with no live task, and the bound lets it go.
        release.SetResult();
        await fixture.Manager.WaitAsync(live).Guarded();
        await fixture.Manager.CancelDescendantsForRunAsync("one-more");
        var accepted = await fixture.SpawnWaitingAsync(parent: new TaskParentContext { RunId = "kept" });
        Assert.Equal("kept", fixture.Store.Lookup(accepted)!.ParentContext.RunId);
    }

    [Fact]
    public async Task SpawnsRacingARunCancellationUnderTheBound_AreEachRefusedOrCancelled()
    {
        // The bound is full of older marks when the race starts, so marking the raced run evicts one of them; a mark
        // that goes while spawns for its run are still racing is the documented exception (see LiveTaskTable.Runs.cs),
        // so no other run is cancelled during the race.
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { MaxCancelledRuns = 1 });
        for (var i = 0; i < 200; i++)
        {
            await fixture.Manager.CancelDescendantsForRunAsync($"churn-{i}");
        }

        var spawns = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            try
            {
                return await fixture.SpawnWaitingAsync(parent: new TaskParentContext { RunId = "raced" });
            }
            catch (SpawnException refused) when (refused.Error == SpawnError.ParentRunCancelled)
            {
                return null;
            }
        })).ToList();

        await fixture.Manager.CancelDescendantsForRunAsync("raced");
        var ids = await Task.WhenAll(spawns).Guarded();

        foreach (var id in ids.OfType<string>())
        {
            Assert.Equal(BackgroundTaskStatus.Cancelled, (await fixture.Manager.WaitAsync(id).Guarded()).Status);
        }
    }
}
