using System.Threading.Tasks.Dataflow;
using static BackgroundTasks.Tests.Inboxes.InboxTestMessages;

namespace BackgroundTasks.Tests.Inboxes;

public class InboxTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(int.MinValue)]
    public void Create_InvalidCapacity_ThrowsNamingIt(int capacity)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Inbox.Create(capacity));
        Assert.Equal("boundedCapacity", ex.ParamName);
        Assert.StartsWith(Messages.BoundedCapacityOutOfRange(capacity), ex.Message, StringComparison.Ordinal);

        var withCallback = Assert.Throws<ArgumentOutOfRangeException>(() => Inbox.Create(capacity, _ => { }));
        Assert.Equal("boundedCapacity", withCallback.ParamName);
    }

    [Fact]
    public void Create_Default_IsUnbounded()
    {
        var (sender, receiver) = Inbox.Create();

        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(sender.TrySend(Msg(i)));
        }

        Assert.Equal(10_000, receiver.Count);
        Assert.False(sender.IsClosed);
        Assert.False(receiver.IsClosed);
    }

    [Fact]
    public void Create_Bounded_BufferHoldsAtMostCapacity()
    {
        var (sender, receiver) = Inbox.Create(2);

        Assert.True(sender.TrySend(Msg(0)));
        Assert.True(sender.TrySend(Msg(1)));
        Assert.False(sender.TrySend(Msg(2)));

        Assert.Equal(2, receiver.Count);
        Assert.False(sender.IsClosed);
    }

    [Fact]
    public void Create_UnboundedConstant_IsAccepted()
    {
        var (sender, _) = Inbox.Create(DataflowBlockOptions.Unbounded, onClosed: null);

        Assert.True(sender.Send(Msg(0)));
    }

    [Fact]
    public void Create_WithOnClosed_SenderReportsRefusedMessages()
    {
        var refused = new List<TaskEvent>();
        var (sender, receiver) = Inbox.Create(DataflowBlockOptions.Unbounded, refused.Add);
        receiver.Close();

        TaskEvent message = Msg(7);
        Assert.False(sender.Send(message));

        Assert.Same(message, Assert.Single(refused));
    }

    [Fact]
    public void Create_Pair_SharesClosedState()
    {
        var (sender, receiver) = Inbox.Create();

        receiver.Close();

        Assert.True(sender.IsClosed);
        Assert.True(receiver.IsClosed);
        Assert.False(sender.Send(Msg(0)));
    }
}
