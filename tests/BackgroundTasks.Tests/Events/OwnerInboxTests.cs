using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Events;

public sealed class OwnerInboxTests
{
    [Fact]
    public async Task SetOwnerInbox_PerThread_EachThreadsEventsReachOnlyItsInbox()
    {
        await using var fixture = new ManagerFixture();
        var (senderA, receiverA) = Inbox.Create();
        var (senderB, receiverB) = Inbox.Create();
        var (shared, sharedReceiver) = Inbox.Create();
        fixture.Manager.SetOwnerInbox(shared);
        fixture.Manager.SetOwnerInbox("a", senderA);
        fixture.Manager.SetOwnerInbox("b", senderB);

        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await fixture.Manager.SpawnAsync(i % 2 == 0 ? "a" : "b", "x", null, "d", TaskParentContext.None,
                context =>
                {
                    context.Emit("step", 1);
                    return Task.FromResult(TaskResult.Success("ok"));
                }));
        }

        var other = await fixture.Manager.SpawnAsync("c", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success("ok")));
        foreach (var id in ids.Append(other))
        {
            await fixture.Manager.WaitAsync(id).Guarded();
        }

        var ofA = ids.Where((_, i) => i % 2 == 0).ToHashSet();
        var ofB = ids.Where((_, i) => i % 2 == 1).ToHashSet();
        var inA = receiverA.Drain();
        var inB = receiverB.Drain();
        Assert.Equal(20, inA.Count);
        Assert.All(inA, e => Assert.Contains(e.TaskId, ofA));
        Assert.Equal(20, inB.Count);
        Assert.All(inB, e => Assert.Contains(e.TaskId, ofB));

        // A thread without an inbox of its own still uses the manager-wide one.
        Assert.Equal([other], sharedReceiver.Drain().Select(e => e.TaskId));
    }

    [Fact]
    public async Task SetOwnerInbox_AfterSpawn_TheTaskKeepsTheInboxItWasBoundTo()
    {
        await using var fixture = new ManagerFixture();
        var (first, firstReceiver) = Inbox.Create();
        var (second, secondReceiver) = Inbox.Create();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Manager.SetOwnerInbox("a", first);
        var early = await fixture.SpawnGatedAsync(gate.Task, owner: "a");

        fixture.Manager.SetOwnerInbox("a", second);
        var late = await fixture.Manager.SpawnAsync("a", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success("ok")));
        gate.SetResult();
        await fixture.Manager.WaitAsync(early).Guarded();
        await fixture.Manager.WaitAsync(late).Guarded();

        Assert.Equal([early], firstReceiver.Drain().Select(e => e.TaskId));
        Assert.Equal([late], secondReceiver.Drain().Select(e => e.TaskId));
    }

    [Fact]
    public async Task RemoveOwnerInbox_LaterSpawnsUseTheManagerWideInbox_AndSaysWhetherOneWasBound()
    {
        await using var fixture = new ManagerFixture();
        var (own, ownReceiver) = Inbox.Create();
        var (shared, sharedReceiver) = Inbox.Create();
        fixture.Manager.SetOwnerInbox(shared);
        fixture.Manager.SetOwnerInbox("a", own);

        Assert.True(fixture.Manager.RemoveOwnerInbox("a"));
        Assert.False(fixture.Manager.RemoveOwnerInbox("a"));
        var id = await fixture.Manager.SpawnAsync("a", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success("ok")));
        await fixture.Manager.WaitAsync(id).Guarded();

        Assert.Empty(ownReceiver.Drain());
        Assert.Equal([id], sharedReceiver.Drain().Select(e => e.TaskId));
    }

    [Fact]
    public async Task SetOwnerInbox_NullOrEmptyThreadOrNullInbox_Throws()
    {
        await using var fixture = new ManagerFixture();
        var (sender, _) = Inbox.Create();

        Assert.Throws<ArgumentNullException>("ownerThreadId", () => fixture.Manager.SetOwnerInbox(null!, sender));
        Assert.Throws<ArgumentException>("ownerThreadId", () => fixture.Manager.SetOwnerInbox("", sender));
        Assert.Throws<ArgumentNullException>("inbox", () => fixture.Manager.SetOwnerInbox("a", null!));
        Assert.Throws<ArgumentNullException>("ownerThreadId", () => fixture.Manager.RemoveOwnerInbox(null!));
        Assert.Throws<ArgumentException>("ownerThreadId", () => fixture.Manager.RemoveOwnerInbox(""));
    }
}
