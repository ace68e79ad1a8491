using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.Tests.Controls;

public sealed partial class DeadlineQueueTests
{
    // More distinct timeouts than the queue has lanes, one of them twice.
    private static readonly int[] s_timeoutSeconds = [60, 5, 30, 1, 60, 10, 2];

    [Fact]
    public void Entries_AreWokenInDueOrderEachWhenItsDeadlinePasses_OnOneTimer()
    {
        var clock = new CountingClock();
        using var queue = new DeadlineQueue(clock);
        var woken = new List<(int Id, long At)>();
        var start = clock.GetTimestamp();
        var dues = new[] { 5, 1, 4, 2, 3, 2 };
        for (var i = 0; i < dues.Length; i++)
        {
            queue.Add(new Entry(i, woken), start + queue.ToTimestampTicks(TimeSpan.FromSeconds(dues[i])));
        }

        for (var second = 1; second <= 5; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
            Assert.Equal(dues.Count(due => due < second), woken.Count);
            clock.Advance(TimeSpan.FromTicks(1));
            Assert.Equal(dues.Count(due => due <= second), woken.Count);
        }

        Assert.Equal([1, 3, 5, 4, 2, 0], woken.Select(wake => wake.Id));
        Assert.Equal(1, clock.Timers);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void RemovedEntries_AreNeverWoken_AndARenewedOneIsWokenAtItsNewDue()
    {
        var clock = new FakeTimeProvider();
        using var queue = new DeadlineQueue(clock);
        var woken = new List<(int Id, long At)>();
        var start = clock.GetTimestamp();
        var removed = new Entry(0, woken);
        var renewed = new Entry(1, woken) { RenewFor = queue.ToTimestampTicks(TimeSpan.FromSeconds(10)) };
        queue.Add(removed, start + queue.ToTimestampTicks(TimeSpan.FromSeconds(1)));
        queue.Add(renewed, start + queue.ToTimestampTicks(TimeSpan.FromSeconds(2)));

        queue.Remove(removed);
        queue.Remove(removed);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(woken);
        Assert.Equal(1, queue.Count);
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal([(1, start + queue.ToTimestampTicks(TimeSpan.FromSeconds(12)))], woken);
        Assert.Equal(0, queue.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomAddsAndRemoves_WakeExactlyTheEntriesLeftInDueOrder(int seed)
    {
        var random = new Random(seed);
        var clock = new FakeTimeProvider();
        using var queue = new DeadlineQueue(clock);
        var woken = new List<(int Id, long At)>();
        var start = clock.GetTimestamp();
        var queued = new Dictionary<int, (Entry Entry, long Due)>();
        for (var i = 0; i < 2000; i++)
        {
            if (queued.Count > 0 && random.Next(3) == 0)
            {
                var victim = queued.Keys.ElementAt(random.Next(queued.Count));
                queue.Remove(queued[victim].Entry);
                queued.Remove(victim);
            }
            else
            {
                var due = start + random.Next(1, 1_000_000);
                var entry = new Entry(i, woken);
                queue.Add(entry, due);
                queued[i] = (entry, due);
            }
        }

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(queued.Count, woken.Count);
        Assert.Equal(queued.OrderBy(pair => pair.Value.Due).ThenBy(pair => pair.Key).Select(pair => pair.Value.Due), woken.Select(wake => wake.At).Order());
        Assert.Equal(queued.Keys.Order(), woken.Select(wake => wake.Id).Order());
        Assert.True(woken.Zip(woken.Skip(1)).All(pair => pair.First.At <= pair.Second.At), "Woken out of due order.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void InterleavedTimeouts_MoreThanTheLanesHold_WakeExactlyTheEntriesLeftInDueOrder(int seed)
    {
        // Attempts spawned one after another with a few distinct timeouts: each timeout's deadlines are nondecreasing
        // (the lanes' case), and with more timeouts than lanes some must go to the heap; most end before their deadline.
        var random = new Random(seed);
        var clock = new FakeTimeProvider();
        using var queue = new DeadlineQueue(clock);
        var woken = new List<(int Id, long At)>();
        var spans = s_timeoutSeconds.Select(seconds => queue.ToTimestampTicks(TimeSpan.FromSeconds(seconds))).ToArray();
        var queued = new Dictionary<int, (Entry Entry, long Due)>();
        for (var i = 0; i < 3000; i++)
        {
            clock.Advance(TimeSpan.FromTicks(random.Next(0, 3)));
            if (queued.Count > 0 && random.Next(4) != 0)
            {
                var victim = queued.Keys.ElementAt(random.Next(Math.Min(queued.Count, 8)));
                queue.Remove(queued[victim].Entry);
                queued.Remove(victim);
            }
            else
            {
                var due = clock.GetTimestamp() + spans[random.Next(spans.Length)];
                var entry = new Entry(i, woken);
                queue.Add(entry, due);
                queued[i] = (entry, due);
            }

            Assert.Equal(queued.Count, queue.Count);
        }

        clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(queued.Keys.Order(), woken.Select(wake => wake.Id).Order());
        Assert.Equal(queued.Values.Select(value => value.Due).Order(), woken.Select(wake => wake.At));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Dispose_StopsWaking()
    {
        var clock = new FakeTimeProvider();
        var woken = new List<(int Id, long At)>();
        var queue = new DeadlineQueue(clock);
        queue.Add(new Entry(0, woken), clock.GetTimestamp() + 10);

        queue.Dispose();
        clock.Advance(TimeSpan.FromSeconds(1));
        queue.Add(new Entry(1, woken), clock.GetTimestamp() + 10);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(woken);
    }

    [Fact]
    public void Remove_AfterDispose_OfAnEntryQueuedBefore_LeavesTheQueueEmpty()
    {
        // An attempt can end after its manager was disposed; removing its entry then must not corrupt the count.
        var clock = new FakeTimeProvider();
        var queue = new DeadlineQueue(clock);
        var entry = new Entry(0, []);
        queue.Add(entry, clock.GetTimestamp() + 10);

        queue.Dispose();
        queue.Remove(entry);

        Assert.Equal(0, queue.Count);
    }

    private sealed class Entry(int id, List<(int Id, long At)> woken) : DeadlineEntry
    {
        private bool _renewed;

        /// <summary>When set, the first wake asks to be queued again this much later (as a renewed heartbeat does).</summary>
        public long RenewFor { get; init; }

        internal override long OnDue(long now)
        {
            if (RenewFor > 0 && !_renewed)
            {
                _renewed = true;
                return Due + RenewFor;
            }

            // Record the due time it was queued for: the fake clock fires at exactly that time.
            woken.Add((id, Due));
            return -1;
        }
    }

    private sealed class CountingClock : FakeTimeProvider
    {
        public int Timers { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Timers++;
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
