namespace BackgroundTasks.Tests.Events;

public sealed class EventRingTests
{
    [Fact]
    public void Add_BeyondCapacity_KeepsTheNewestInOrder()
    {
        var ring = new EventRing(capacity: 5);
        for (var i = 1; i <= 12; i++)
        {
            ring.Add(Event(i));
        }

        Assert.Equal(5, ring.Count);
        Assert.Equal(8, ring.OldestSequence);
        Assert.Equal([8L, 9, 10, 11, 12], After(ring, 0));
        Assert.Equal([11L, 12], After(ring, 10));
        Assert.Empty(After(ring, 12));
    }

    [Fact]
    public void Add_WithCapacityZero_KeepsNothing()
    {
        var ring = new EventRing(capacity: 0);
        ring.Add(Event(1));

        Assert.False(ring.IsEnabled);
        Assert.Equal(0, ring.Count);
        Assert.Equal(0, ring.OldestSequence);
    }

    private static TaskEvent.Cancelled Event(long sequence) => new TaskEvent.Cancelled("bg_0") { Sequence = sequence };

    private static List<long> After(EventRing ring, long after)
    {
        var seen = new List<long>();
        ring.ForEachAfter(after, seen, static (list, e) => list.Add(e.Sequence));
        return seen;
    }
}
