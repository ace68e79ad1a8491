using System.Threading.Tasks.Dataflow;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

/// <summary>
/// Issue 9, defect 8: an owner-inbox target whose OfferMessage blocks. WaitAsync keeps its promise (the terminal
/// event has been sent when it returns), so the waiters of the tasks bound to that target wait for it; nothing else does.
/// </summary>
public sealed class BlockingOwnerInboxTests
{
    [Fact]
    public async Task OfferMessageBlocks_OnlyTheWaitersOfTasksBoundToItWait_TheRestOfTheManagerGoesOn()
    {
        await using var fixture = new ManagerFixture();
        using var gate = new ManualResetEventSlim();
        var blocking = new GatedTarget(gate);
        fixture.Manager.SetOwnerInbox(new InboxSender(blocking));
        var stuck = await fixture.Manager.SpawnAsync("t1", "x", "worker", "ends at once", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1)));
        await blocking.Entered.Task.Guarded();
        var (sender, receiver) = Inbox.Create();
        fixture.Manager.SetOwnerInbox(sender);

        var waitStuck = fixture.Manager.WaitAsync(stuck);

        // The record is terminal and the name free; other tasks spawn, end and are waited for as usual.
        Assert.Equal(BackgroundTaskStatus.Completed, (await fixture.Manager.GetAsync(stuck))!.Status);
        Assert.False(await fixture.Manager.CancelAsync(stuck));
        var other = await fixture.Manager.SpawnAsync("t1", "x", "worker", "reuses the name", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(2)));
        Assert.Equal(BackgroundTaskStatus.Completed, (await fixture.Manager.WaitAsync(other).Guarded()).Status);
        Assert.Equal(other, Assert.Single(receiver.Drain()).TaskId);
        Assert.False(waitStuck.IsCompleted);

        gate.Set();

        Assert.Equal(BackgroundTaskStatus.Completed, (await waitStuck.Guarded()).Status);
        Assert.Equal(stuck, Assert.IsType<TaskEvent.Completed>(Assert.Single(blocking.Offered)).TaskId);
    }

    /// <summary>A target that misbehaves as the defect describes: OfferMessage blocks until the gate opens.</summary>
    private sealed class GatedTarget(ManualResetEventSlim gate) : ITargetBlock<TaskEvent>
    {
        private readonly TaskCompletionSource _completion = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<TaskEvent> Offered { get; } = [];

        public Task Completion => _completion.Task;

        public DataflowMessageStatus OfferMessage(DataflowMessageHeader messageHeader, TaskEvent messageValue, ISourceBlock<TaskEvent>? source, bool consumeToAccept)
        {
            Entered.TrySetResult();
            gate.Wait(Hang.Guard);
            lock (Offered)
            {
                Offered.Add(messageValue);
            }

            return DataflowMessageStatus.Accepted;
        }

        public void Complete() => _completion.TrySetResult();

        public void Fault(Exception exception) => _completion.TrySetException(exception);
    }
}
