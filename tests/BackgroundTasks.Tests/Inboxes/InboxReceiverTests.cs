using System.Threading.Tasks.Dataflow;
using static BackgroundTasks.Tests.Inboxes.InboxTestMessages;

namespace BackgroundTasks.Tests.Inboxes;

public class InboxReceiverTests
{
    [Fact]
    public void TryReceive_Empty_ReturnsFalse()
    {
        var (_, receiver) = Inbox.Create();

        Assert.False(receiver.TryReceive(out TaskEvent? message));
        Assert.Null(message);
    }

    [Fact]
    public void TryReceive_Buffered_ReturnsInOrder()
    {
        var (sender, receiver) = Inbox.Create();
        sender.Send(Msg(0));
        sender.Send(Msg(1));

        Assert.True(receiver.TryReceive(out TaskEvent? first));
        Assert.True(receiver.TryReceive(out TaskEvent? second));

        Assert.Equal(["bg_0", "bg_1"], Ids([first, second]));
    }

    [Fact]
    public async Task ReceiveAsync_Buffered_CompletesSynchronously()
    {
        var (sender, receiver) = Inbox.Create();
        sender.Send(Msg(0));

        ValueTask<TaskEvent?> receive = receiver.ReceiveAsync();

        Assert.True(receive.IsCompletedSuccessfully);
        Assert.Equal("bg_0", (await receive)!.TaskId);
    }

    [Fact]
    public async Task ReceiveAsync_Empty_WaitsThenGetsLaterMessage()
    {
        var (sender, receiver) = Inbox.Create();

        ValueTask<TaskEvent?> receive = receiver.ReceiveAsync();
        Assert.False(receive.IsCompleted);

        sender.Send(Msg(3));

        TaskEvent? message = await receive.AsTask().WaitAsync(HangGuard);
        Assert.Equal("bg_3", message!.TaskId);
    }

    [Fact]
    public async Task ReceiveAsync_CancelledWhileWaiting_ReturnsNull()
    {
        var (sender, receiver) = Inbox.Create();
        using var cts = new CancellationTokenSource();

        ValueTask<TaskEvent?> receive = receiver.ReceiveAsync(cts.Token);
        Assert.False(receive.IsCompleted);
        await cts.CancelAsync();

        Assert.Null(await receive.AsTask().WaitAsync(HangGuard));

        // Nothing was consumed by the cancelled wait.
        sender.Send(Msg(0));
        Assert.Equal(1, receiver.Count);
    }

    [Fact]
    public async Task ReceiveAsync_AlreadyCancelled_ReturnsNullEvenWithMessages()
    {
        var (sender, receiver) = Inbox.Create();
        sender.Send(Msg(0));

        Assert.Null(await receiver.ReceiveAsync(new CancellationToken(canceled: true)));
        Assert.Equal(1, receiver.Count);
    }

    [Fact]
    public async Task ReceiveAsync_ClosedWhileWaiting_ReturnsNull()
    {
        var (_, receiver) = Inbox.Create();

        ValueTask<TaskEvent?> receive = receiver.ReceiveAsync();
        receiver.Close();

        Assert.Null(await receive.AsTask().WaitAsync(HangGuard));
    }

    [Fact]
    public async Task Close_Buffered_StaysReadableThenNull()
    {
        var (sender, receiver) = Inbox.Create();
        sender.Send(Msg(0));
        sender.Send(Msg(1));

        receiver.Close();

        Assert.Equal("bg_0", (await receiver.ReceiveAsync().AsTask().WaitAsync(HangGuard))!.TaskId);
        Assert.Equal("bg_1", (await receiver.ReceiveAsync().AsTask().WaitAsync(HangGuard))!.TaskId);
        Assert.Null(await receiver.ReceiveAsync().AsTask().WaitAsync(HangGuard));
        Assert.Null(await receiver.ReceiveAsync().AsTask().WaitAsync(HangGuard));
    }

    [Fact]
    public void Close_Called_IsClosedAtOnceOnBothEnds()
    {
        var (sender, receiver) = Inbox.Create();
        sender.Send(Msg(0));

        receiver.Close();

        Assert.True(receiver.IsClosed);
        Assert.True(sender.IsClosed);
        Assert.Equal(1, receiver.Count);
    }

    [Fact]
    public async Task Close_Buffered_SourceCompletesOnceDrained()
    {
        var (sender, receiver) = Inbox.Create();
        sender.Send(Msg(0));

        receiver.Close();
        Assert.False(receiver.Source.Completion.IsCompleted);

        Assert.Single(receiver.Drain());
        await receiver.Source.Completion.WaitAsync(HangGuard);
    }

    [Fact]
    public async Task Close_CalledConcurrently_IsIdempotent()
    {
        var (sender, receiver) = Inbox.Create();
        sender.Send(Msg(0));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(receiver.Close))).WaitAsync(HangGuard);
        receiver.Close();

        Assert.True(receiver.IsClosed);
        Assert.Equal(["bg_0"], Ids(receiver.Drain()));
        await receiver.Source.Completion.WaitAsync(HangGuard);
    }

    [Fact]
    public void Drain_Buffered_ReturnsEverythingInOrder()
    {
        var (sender, receiver) = Inbox.Create();
        for (int i = 0; i < 100; i++)
        {
            sender.Send(Msg(i));
        }

        IReadOnlyList<TaskEvent> drained = receiver.Drain();

        Assert.Equal(Ids(100), Ids(drained));
        Assert.Equal(0, receiver.Count);
        Assert.Empty(receiver.Drain());
    }

    [Fact]
    public void Drain_Empty_ReturnsEmpty()
    {
        var (_, receiver) = Inbox.Create();

        Assert.Empty(receiver.Drain());
    }

    [Fact]
    public void Count_FollowsSendsAndReceives()
    {
        var (sender, receiver) = Inbox.Create();
        Assert.Equal(0, receiver.Count);

        sender.Send(Msg(0));
        sender.Send(Msg(1));
        Assert.Equal(2, receiver.Count);

        Assert.True(receiver.TryReceive(out _));
        Assert.Equal(1, receiver.Count);
    }

    [Fact]
    public async Task ReadAllAsync_Closed_EndsAfterEveryMessage()
    {
        var (sender, receiver) = Inbox.Create();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var read = new List<TaskEvent>();

        Task reading = Task.Run(async () =>
        {
            await foreach (TaskEvent message in receiver.ReadAllAsync())
            {
                read.Add(message);
                if (read.Count == 2)
                {
                    gate.TrySetResult();
                }
            }
        });

        sender.Send(Msg(0));
        sender.Send(Msg(1));
        await gate.Task.WaitAsync(HangGuard);
        sender.Send(Msg(2));
        receiver.Close();

        await reading.WaitAsync(HangGuard);
        Assert.Equal(Ids(3), Ids(read));
    }

    [Fact]
    public async Task ReadAllAsync_Cancelled_EndsWithoutThrowing()
    {
        var (sender, receiver) = Inbox.Create();
        sender.Send(Msg(0));
        using var cts = new CancellationTokenSource();
        var read = new List<TaskEvent>();

        await foreach (TaskEvent message in receiver.ReadAllAsync(cts.Token).WithCancellation(CancellationToken.None))
        {
            read.Add(message);
            await cts.CancelAsync();
        }

        Assert.Equal(["bg_0"], Ids(read));
    }

    [Fact]
    public async Task Source_LinkedPipeline_ReceivesEverythingThenCompletes()
    {
        var (sender, receiver) = Inbox.Create();
        var received = new List<TaskEvent>();
        var pipeline = new ActionBlock<TaskEvent>(received.Add);
        using IDisposable link = receiver.Source.LinkTo(pipeline, new DataflowLinkOptions { PropagateCompletion = true });

        for (int i = 0; i < 500; i++)
        {
            sender.Send(Msg(i));
        }

        receiver.Close();

        await pipeline.Completion.WaitAsync(HangGuard);
        await receiver.Source.Completion.WaitAsync(HangGuard);
        Assert.Equal(Ids(500), Ids(received));
    }
}
