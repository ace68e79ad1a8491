using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class NameTests
{
    [Theory]
    [InlineData("parent")]
    [InlineData("self")]
    [InlineData("all")]
    [InlineData("broadcast")]
    public async Task SpawnAsync_ReservedName_FailsWithReservedName(string name)
    {
        await using var fixture = new ManagerFixture();

        var error = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnWaitingAsync(name: name));

        Assert.Equal(SpawnError.ReservedName, error.Error);
        Assert.Equal(name, error.Name);
        Assert.Equal(Messages.ReservedName(name), error.Message);
        Assert.Equal(0, fixture.Store.Tasks.Count);
    }

    [Fact]
    public async Task SpawnAsync_DuplicateRunningName_FailsWithDuplicateName()
    {
        await using var fixture = new ManagerFixture();
        await fixture.SpawnWaitingAsync(name: "researcher");

        var error = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnWaitingAsync(name: "researcher"));

        Assert.Equal(SpawnError.DuplicateName, error.Error);
        Assert.Equal("researcher", error.Name);
        Assert.Equal("A running task named 'researcher' already exists on thread 't1'.", error.Message);
    }

    [Fact]
    public async Task SpawnAsync_RefusedName_LeavesNoGapInIds()
    {
        await using var fixture = new ManagerFixture();
        var first = await fixture.SpawnWaitingAsync(name: "a");
        await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnWaitingAsync(name: "a"));

        var next = await fixture.SpawnWaitingAsync(name: "b");

        Assert.Equal("bg_0", first);
        Assert.Equal("bg_1", next);
    }

    [Fact]
    public async Task SpawnAsync_SameNameOnAnotherThread_Succeeds()
    {
        await using var fixture = new ManagerFixture();
        await fixture.SpawnWaitingAsync(owner: "t1", name: "researcher");

        var id = await fixture.SpawnWaitingAsync(owner: "t2", name: "researcher");

        Assert.Equal("researcher", fixture.Store.Lookup(id)!.Name);
    }

    [Fact]
    public async Task SpawnAsync_NameOfEndedTask_IsFreeAgain()
    {
        await using var fixture = new ManagerFixture();
        var first = await fixture.SpawnWaitingAsync(name: "researcher");
        await fixture.Manager.CancelAsync(first);
        await fixture.Manager.WaitAsync(first).Guarded();

        var second = await fixture.SpawnWaitingAsync(name: "researcher");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task SpawnAsync_NameIsFreeWhenObserverSeesTheTerminalRecord()
    {
        await using var fixture = new ManagerFixture();
        var first = await fixture.SpawnWaitingAsync(name: "researcher");
        var respawned = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Manager.Watch(first).Subscribe(summary =>
        {
            if (summary.Status.IsTerminal())
            {
                // Called back from OnNext: the name must already be free, and no deadlock.
                fixture.SpawnWaitingAsync(name: "researcher").ContinueWith(
                    t => respawned.SetResult(t.IsCompletedSuccessfully ? t.Result : t.Exception!.InnerException!.Message),
                    TaskScheduler.Default);
            }
        });

        await fixture.Manager.CancelAsync(first);

        Assert.Equal("bg_1", await respawned.Task.Guarded());
    }

    [Fact]
    public async Task SpawnAsync_NullName_IsFineAndRepeatable()
    {
        await using var fixture = new ManagerFixture();
        await fixture.SpawnWaitingAsync(name: null);
        await fixture.SpawnWaitingAsync(name: null);
        Assert.Equal(2, fixture.Store.Tasks.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task SpawnAsync_EmptyOrWhitespaceName_ThrowsArgumentException(string name)
    {
        await using var fixture = new ManagerFixture();
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.SpawnWaitingAsync(name: name));
    }

    [Fact]
    public async Task SpawnAsync_RacingSpawnsWithOneName_ExactlyOneSucceeds()
    {
        await using var fixture = new ManagerFixture();
        for (var round = 0; round < 20; round++)
        {
            var name = "racer" + round;
            using var start = new Barrier(16);
            var attempts = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                start.SignalAndWait();
                try
                {
                    return await fixture.SpawnWaitingAsync(name: name);
                }
                catch (SpawnException error) when (error.Error == SpawnError.DuplicateName)
                {
                    return null;
                }
            })).ToArray();

            var outcomes = await Task.WhenAll(attempts).Guarded();

            Assert.Single(outcomes, id => id is not null);
        }

        var running = await fixture.Manager.ListAsync("t1");
        Assert.Equal(20, running.Count);
        Assert.Equal(20, running.Select(s => s.Name).Distinct().Count());
    }
}
