using BackgroundTasks.Caching;

namespace BackgroundTasks.Tests.Caching;

public sealed class DeliveryQueueTests
{
    private readonly Lock _gate = new();

    private bool EnqueueAndClaim<T>(DeliveryQueue<T> queue, params T[] items)
    {
        lock (_gate)
        {
            foreach (T item in items)
            {
                queue.Enqueue(item);
            }

            return queue.TryBeginDelivery();
        }
    }

    [Fact]
    public void TryBeginDelivery_NothingQueued_ReturnsFalse()
    {
        var queue = new DeliveryQueue<int>(_gate, _ => { });
        lock (_gate)
        {
            Assert.False(queue.TryBeginDelivery());
        }
    }

    [Fact]
    public void Deliver_QueuedItems_DeliversThemInOrder()
    {
        var delivered = new List<int>();
        var queue = new DeliveryQueue<int>(_gate, delivered.Add);

        Assert.True(EnqueueAndClaim(queue, 1, 2, 3));
        queue.Deliver();

        Assert.Equal([1, 2, 3], delivered);
    }

    [Fact]
    public void TryBeginDelivery_WhileDelivering_ReturnsFalseAndTheDelivererDeliversTheItem()
    {
        var delivered = new List<int>();
        DeliveryQueue<int>? queue = null;
        bool claimedInside = true;
        queue = new DeliveryQueue<int>(_gate, item =>
        {
            delivered.Add(item);
            if (item == 1)
            {
                // Re-entrant enqueue: delivered after this call returns, never recursively.
                claimedInside = EnqueueAndClaim(queue!, 2);
                delivered.Add(-1);
            }
        });

        Assert.True(EnqueueAndClaim(queue, 1));
        queue.Deliver();

        Assert.False(claimedInside);
        Assert.Equal([1, -1, 2], delivered);
    }

    [Fact]
    public void Deliver_CallbackThrows_GivesUpTheRoleAndKeepsTheRestInOrder()
    {
        var delivered = new List<int>();
        var queue = new DeliveryQueue<int>(_gate, item =>
        {
            if (item == 2)
            {
                throw new InvalidOperationException("boom");
            }

            delivered.Add(item);
        });

        Assert.True(EnqueueAndClaim(queue, 1, 2, 3));
        Assert.Throws<InvalidOperationException>(queue.Deliver);
        Assert.True(EnqueueAndClaim(queue, 4));
        queue.Deliver();

        Assert.Equal([1, 3, 4], delivered);
    }

    [Fact]
    public void Deliver_RacingProducers_NeverOverlapsAndKeepsEachProducersOrder()
    {
        const int Producers = 8;
        const int Items = 5_000;
        int inside = 0;
        int overlaps = 0;
        int[] last = Enumerable.Repeat(-1, Producers).ToArray();
        int outOfOrder = 0;
        int total = 0;
        var queue = new DeliveryQueue<(int Producer, int Sequence)>(_gate, item =>
        {
            if (Interlocked.Increment(ref inside) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            if (item.Sequence != last[item.Producer] + 1)
            {
                outOfOrder++;
            }

            last[item.Producer] = item.Sequence;
            total++;
            Thread.SpinWait(10);
            Interlocked.Decrement(ref inside);
        });

        Parallel.For(0, Producers, new ParallelOptions { MaxDegreeOfParallelism = Producers }, producer =>
        {
            for (int i = 0; i < Items; i++)
            {
                if (EnqueueAndClaim(queue, (producer, i)))
                {
                    Assert.False(_gate.IsHeldByCurrentThread);
                    queue.Deliver();
                }
            }
        });

        Assert.Equal(0, overlaps);
        Assert.Equal(0, outOfOrder);
        Assert.Equal(Producers * Items, total);
    }
}
