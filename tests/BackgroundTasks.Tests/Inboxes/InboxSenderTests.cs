using System.Collections.Concurrent;
using System.Threading.Tasks.Dataflow;
using static BackgroundTasks.Tests.Inboxes.InboxTestMessages;

namespace BackgroundTasks.Tests.Inboxes;

public class InboxSenderTests
{
    [Fact]
    public void Ctor_NullTarget_Throws()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new InboxSender(null!));
        Assert.Equal("target", ex.ParamName);
    }

    [Fact]
    public void Send_NullMessage_Throws()
    {
        var (sender, _) = Inbox.Create();
        Assert.Equal("message", Assert.Throws<ArgumentNullException>(() => sender.Send(null!)).ParamName);
    }

    [Fact]
    public void TrySend_NullMessage_Throws()
    {
        var (sender, _) = Inbox.Create();
        Assert.Equal("message", Assert.Throws<ArgumentNullException>(() => sender.TrySend(null!)).ParamName);
    }

    [Fact]
    public void SendAsync_NullMessage_ThrowsSynchronously()
    {
        var (sender, _) = Inbox.Create();
        // Thrown by the call itself, not through the returned task.
        Action send = () => _ = sender.SendAsync(null!).AsTask();
        Assert.Equal("message", Assert.Throws<ArgumentNullException>(send).ParamName);
    }

    [Fact]
    public void Send_Open_DeliversInOrder()
    {
        var (sender, receiver) = Inbox.Create();

        for (int i = 0; i < 1000; i++)
        {
            Assert.True(sender.Send(Msg(i)));
        }

        Assert.Equal(Ids(1000), Ids(receiver.Drain()));
    }

    [Fact]
    public void Send_Unbounded_AllocatesNothingPerMessage()
    {
        const int Count = 100_000;
        var (sender, receiver) = Inbox.Create();
        TaskEvent message = Msg(0);
        sender.Send(message);
        receiver.Drain();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Count; i++)
        {
            sender.Send(message);
        }

        long perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / Count;

        // Only the buffer's own storage grows (about a reference per message); a per-send object would be far more.
        Assert.True(perMessage <= 24, $"Send allocated {perMessage} bytes per message.");
        Assert.Equal(Count, receiver.Count);
    }

    [Fact]
    public void Send_Closed_ReturnsFalseAndCallsOnClosedWithTheMessage()
    {
        var refused = new List<TaskEvent>();
        var (sender, receiver) = Inbox.Create(DataflowBlockOptions.Unbounded, refused.Add);
        receiver.Close();

        TaskEvent message = Msg(1);
        Assert.False(sender.Send(message));

        Assert.Same(message, Assert.Single(refused));
    }

    [Fact]
    public void TrySend_Closed_ReturnsFalseWithoutOnClosed()
    {
        var refused = new List<TaskEvent>();
        var (sender, receiver) = Inbox.Create(DataflowBlockOptions.Unbounded, refused.Add);
        receiver.Close();

        Assert.False(sender.TrySend(Msg(1)));

        Assert.Empty(refused);
    }

    [Fact]
    public async Task SendAsync_Closed_ReturnsFalseWithoutOnClosed()
    {
        var refused = new List<TaskEvent>();
        var (sender, receiver) = Inbox.Create(1, refused.Add);
        receiver.Close();

        Assert.False(await sender.SendAsync(Msg(1)));

        Assert.Empty(refused);
    }

    [Fact]
    public async Task SendAsync_Room_CompletesSynchronously()
    {
        var (sender, receiver) = Inbox.Create(1);

        ValueTask<bool> send = sender.SendAsync(Msg(0));

        Assert.True(send.IsCompletedSuccessfully);
        Assert.True(await send);
        Assert.Equal(1, receiver.Count);
    }

    [Fact]
    public async Task SendAsync_BoundedFull_WaitsForRoomThenDelivers()
    {
        var (sender, receiver) = Inbox.Create(1);
        Assert.True(await sender.SendAsync(Msg(0)));

        ValueTask<bool> waiting = sender.SendAsync(Msg(1));
        Assert.False(waiting.IsCompleted);

        Assert.True(receiver.TryReceive(out TaskEvent? first));
        Assert.True(await waiting.AsTask().WaitAsync(HangGuard));

        Assert.Equal("bg_0", first.TaskId);
        Assert.Equal(["bg_1"], Ids(receiver.Drain()));
    }

    [Fact]
    public async Task SendAsync_CancelledWhileWaiting_ThrowsAndDoesNotDeliver()
    {
        var (sender, receiver) = Inbox.Create(1);
        sender.Send(Msg(0));
        using var cts = new CancellationTokenSource();

        ValueTask<bool> waiting = sender.SendAsync(Msg(1), cts.Token);
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask().WaitAsync(HangGuard));
        Assert.Equal(cts.Token, ex.CancellationToken);

        // The cancelled message never arrives, and the sender keeps working.
        Assert.Equal(["bg_0"], Ids(receiver.Drain()));
        Assert.True(await sender.SendAsync(Msg(2)).AsTask().WaitAsync(HangGuard));
        Assert.Equal(["bg_2"], Ids(receiver.Drain()));
    }

    [Fact]
    public async Task SendAsync_CancelledWhileQueuedBehindAnother_IsSkipped()
    {
        var (sender, receiver) = Inbox.Create(1);
        sender.Send(Msg(0));
        using var cts = new CancellationTokenSource();

        ValueTask<bool> first = sender.SendAsync(Msg(1));
        ValueTask<bool> second = sender.SendAsync(Msg(2), cts.Token);
        ValueTask<bool> third = sender.SendAsync(Msg(3));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.AsTask().WaitAsync(HangGuard));
        var read = new List<TaskEvent>();
        for (int i = 0; i < 3; i++)
        {
            read.Add((await receiver.ReceiveAsync().AsTask().WaitAsync(HangGuard))!);
        }

        Assert.True(await first.AsTask().WaitAsync(HangGuard));
        Assert.True(await third.AsTask().WaitAsync(HangGuard));
        Assert.Equal(["bg_0", "bg_1", "bg_3"], Ids(read));
    }

    [Fact]
    public async Task SendAsync_AlreadyCancelled_ThrowsWithoutDelivering()
    {
        var (sender, receiver) = Inbox.Create();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => sender.SendAsync(Msg(0), new CancellationToken(canceled: true)).AsTask());

        Assert.Equal(0, receiver.Count);
    }

    [Fact]
    public void TrySend_BoundedFull_ReturnsFalseWithoutQueuing()
    {
        var refused = new List<TaskEvent>();
        var (sender, receiver) = Inbox.Create(1, refused.Add);
        Assert.True(sender.TrySend(Msg(0)));

        Assert.False(sender.TrySend(Msg(1)));

        Assert.False(sender.IsClosed);
        Assert.Empty(refused);
        Assert.Equal(["bg_0"], Ids(receiver.Drain()));
        Assert.Empty(receiver.Drain());
    }

    [Fact]
    public async Task Send_BoundedFull_QueuesAndDeliversInOrder()
    {
        var (sender, receiver) = Inbox.Create(2);

        for (int i = 0; i < 50; i++)
        {
            Assert.True(sender.Send(Msg(i)));
        }

        Assert.Equal(2, receiver.Count);
        var read = new List<TaskEvent>();
        for (int i = 0; i < 50; i++)
        {
            read.Add((await receiver.ReceiveAsync().AsTask().WaitAsync(HangGuard))!);
        }

        Assert.Equal(Ids(50), Ids(read));
    }

    [Fact]
    public async Task Send_BoundedFullThenClosed_QueuedMessagesStayReadable()
    {
        var refused = new List<TaskEvent>();
        var (sender, receiver) = Inbox.Create(1, refused.Add);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(sender.Send(Msg(i)));
        }

        receiver.Close();
        Assert.True(sender.IsClosed);
        Assert.False(sender.Send(Msg(5)));

        var read = new List<TaskEvent>();
        await foreach (TaskEvent message in receiver.ReadAllAsync().WithCancellation(CancellationToken.None))
        {
            read.Add(message);
        }

        Assert.Equal(Ids(5), Ids(read));
        Assert.Equal(["bg_5"], Ids(refused));
        await receiver.Source.Completion.WaitAsync(HangGuard);
    }

    [Fact]
    public async Task SendAsync_QueuedBehindSend_KeepsOrder()
    {
        var (sender, receiver) = Inbox.Create(1);
        Assert.True(sender.Send(Msg(0)));
        Assert.True(sender.Send(Msg(1)));

        ValueTask<bool> third = sender.SendAsync(Msg(2));
        Assert.False(third.IsCompleted);

        var read = new List<TaskEvent>();
        for (int i = 0; i < 3; i++)
        {
            read.Add((await receiver.ReceiveAsync().AsTask().WaitAsync(HangGuard))!);
        }

        Assert.True(await third.AsTask().WaitAsync(HangGuard));
        Assert.Equal(Ids(3), Ids(read));
    }

    [Fact]
    public async Task Send_UserActionBlock_DeliversInOrder()
    {
        var received = new List<TaskEvent>();
        var target = new ActionBlock<TaskEvent>(received.Add);
        var sender = new InboxSender(target);

        for (int i = 0; i < 100; i++)
        {
            Assert.True(sender.Send(Msg(i)));
        }

        target.Complete();
        await target.Completion.WaitAsync(HangGuard);

        Assert.Equal(Ids(100), Ids(received));
        Assert.True(sender.IsClosed);
    }

    [Fact]
    public async Task Send_CompletedBlock_ReturnsFalseAndIsClosed()
    {
        var refused = new List<TaskEvent>();
        var target = new BufferBlock<TaskEvent>();
        target.Complete();
        await target.Completion.WaitAsync(HangGuard);
        var sender = new InboxSender(target, refused.Add);

        Assert.True(sender.IsClosed);
        Assert.False(sender.Send(Msg(0)));
        Assert.False(sender.TrySend(Msg(1)));
        Assert.False(await sender.SendAsync(Msg(2)));

        Assert.Equal(["bg_0"], Ids(refused));
    }

    [Fact]
    public void Send_TargetDecliningPermanently_IsClosedAtOnce()
    {
        // A completed block that still holds a message declines, though its Completion is not done yet.
        var target = new BufferBlock<TaskEvent>();
        target.Post(Msg(0));
        target.Complete();
        var sender = new InboxSender(target);
        Assert.False(target.Completion.IsCompleted);

        Assert.False(sender.Send(Msg(1)));

        Assert.True(sender.IsClosed);
    }

    [Fact]
    public async Task Send_UserTargetCompletedWhileQueued_ReportsQueuedToOnClosed()
    {
        var refused = new ConcurrentQueue<TaskEvent>();
        var allRefused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = new BufferBlock<TaskEvent>(new DataflowBlockOptions { BoundedCapacity = 1 });
        var sender = new InboxSender(target, m =>
        {
            refused.Enqueue(m);
            if (refused.Count == 2)
            {
                allRefused.TrySetResult();
            }
        });
        Assert.True(sender.Send(Msg(0)));
        Assert.True(sender.Send(Msg(1)));
        Assert.True(sender.Send(Msg(2)));
        ValueTask<bool> awaited = sender.SendAsync(Msg(3));

        target.Complete();

        await allRefused.Task.WaitAsync(HangGuard);
        Assert.False(await awaited.AsTask().WaitAsync(HangGuard));
        Assert.Equal(["bg_1", "bg_2"], Ids(refused));
        Assert.True(sender.IsClosed);
        Assert.True(target.TryReceive(out TaskEvent? delivered));
        Assert.Equal("bg_0", delivered.TaskId);
    }

    [Theory]
    [InlineData(DataflowBlockOptions.Unbounded)]
    [InlineData(4)]
    public async Task Send_RacingWithClose_NoMessageLost(int capacity)
    {
        const int Senders = 8;
        const int PerSender = 5_000;
        var refused = new ConcurrentBag<TaskEvent>();
        var (sender, receiver) = Inbox.Create(capacity, refused.Add);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int sentSoFar = 0;
        int refusedBySend = 0;

        Task<List<TaskEvent>> reading = Task.Run(async () =>
        {
            var read = new List<TaskEvent>();
            await foreach (TaskEvent message in receiver.ReadAllAsync().WithCancellation(CancellationToken.None))
            {
                read.Add(message);
            }

            return read;
        });
        Task[] sending = [.. Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            await start.Task;
            for (int i = 0; i < PerSender; i++)
            {
                if (!sender.Send(new TaskEvent.Cancelled($"{s}_{i}")))
                {
                    Interlocked.Increment(ref refusedBySend);
                }

                if (Interlocked.Increment(ref sentSoFar) == Senders * PerSender / 2)
                {
                    halfway.TrySetResult();
                }
            }
        }))];

        start.SetResult();
        await halfway.Task.WaitAsync(HangGuard);
        receiver.Close();
        await Task.WhenAll(sending).WaitAsync(HangGuard);
        List<TaskEvent> delivered = await reading.WaitAsync(HangGuard);

        Assert.Equal(refusedBySend, refused.Count);
        Assert.Equal(Senders * PerSender, delivered.Count + refused.Count);
        var all = delivered.Concat(refused).Select(m => m.TaskId).ToHashSet();
        Assert.Equal(Senders * PerSender, all.Count);
        Assert.NotEmpty(delivered);

        // Each sender's delivered messages arrive in the order it sent them.
        foreach (IGrouping<string, int> perSender in delivered
            .Select(m => m.TaskId.Split('_'))
            .GroupBy(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))
        {
            Assert.Equal(perSender.Order(), perSender);
        }
    }

    [Fact]
    public async Task SendAsync_RacingWithClose_EveryTrueIsDelivered()
    {
        const int Senders = 8;
        const int PerSender = 2_000;
        var (sender, receiver) = Inbox.Create(4);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int attempted = 0;
        int accepted = 0;

        Task<int> reading = Task.Run(async () =>
        {
            int count = 0;
            await foreach (TaskEvent message in receiver.ReadAllAsync().WithCancellation(CancellationToken.None))
            {
                count++;
            }

            return count;
        });
        Task[] sending = [.. Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            for (int i = 0; i < PerSender; i++)
            {
                if (await sender.SendAsync(Msg(i)))
                {
                    Interlocked.Increment(ref accepted);
                }

                if (Interlocked.Increment(ref attempted) == Senders * PerSender / 2)
                {
                    halfway.TrySetResult();
                }
            }
        }))];

        start.SetResult();
        await halfway.Task.WaitAsync(HangGuard);
        receiver.Close();
        await Task.WhenAll(sending).WaitAsync(HangGuard);

        Assert.Equal(accepted, await reading.WaitAsync(HangGuard));
        Assert.True(accepted >= Senders * PerSender / 2 - Senders);
    }
}
