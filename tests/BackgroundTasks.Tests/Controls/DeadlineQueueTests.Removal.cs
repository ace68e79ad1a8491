using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.Tests.Controls;

/// <content>Removal: from the middle of a lane, lazily behind a live entry, and racing with adds on many threads.</content>
public sealed partial class DeadlineQueueTests
{
    [Fact]
    public void Remove_FromTheMiddleAndEndsOfOneTimeoutsDeadlines_WakesTheOthersAtTheirDue()
    {
        var clock = new FakeTimeProvider();
        using var queue = new DeadlineQueue(clock);
        var woken = new List<(int Id, long At)>();
        var entries = new List<Entry>();
        for (var i = 0; i < 6; i++)
        {
            entries.Add(new Entry(i, woken));
            queue.Add(entries[i], clock.GetTimestamp() + queue.ToTimestampTicks(TimeSpan.FromSeconds(10)));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        queue.Remove(entries[0]);
        queue.Remove(entries[3]);
        queue.Remove(entries[5]);
        Assert.Equal(3, queue.Count);
        queue.Add(entries[3], clock.GetTimestamp() + queue.ToTimestampTicks(TimeSpan.FromSeconds(10)));
        clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal([1, 2, 4, 3], woken.Select(wake => wake.Id));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void RemovedEntries_BehindOneThatStaysLive_AreDroppedLongBeforeTheirDeadline()
    {
        // A long task at the front of a lane, and thousands of short ones after it that end at once: the ended ones (and
        // the tasks they reference) must not stay linked for the minute until their deadlines pass.
        var clock = new FakeTimeProvider();
        using var queue = new DeadlineQueue(clock);
        var woken = new List<(int Id, long At)>();
        var minute = queue.ToTimestampTicks(TimeSpan.FromMinutes(1));
        queue.Add(new Entry(-1, woken), clock.GetTimestamp() + minute);
        var maxLinked = 0;
        for (var i = 0; i < 10_000; i++)
        {
            clock.Advance(TimeSpan.FromTicks(1));
            var entry = new Entry(i, woken);
            queue.Add(entry, clock.GetTimestamp() + minute);
            queue.Remove(entry);
            maxLinked = Math.Max(maxLinked, queue.Linked);
        }

        Assert.InRange(maxLinked, 1, 200);
        Assert.Equal(1, queue.Count);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([-1], woken.Select(wake => wake.Id));
        Assert.Equal(0, queue.Linked);
    }

    [Fact]
    public async Task AddsAndRemovesRacingOnManyThreads_WakeExactlyTheEntriesLeft()
    {
        // Removal never waits for the lock: one that finds it busy leaves the entry to be dropped later. Whatever the
        // interleaving, exactly the entries never removed are counted and woken.
        var clock = new FakeTimeProvider();
        using var queue = new DeadlineQueue(clock);
        var woken = new System.Collections.Concurrent.ConcurrentBag<int>();
        var minute = queue.ToTimestampTicks(TimeSpan.FromMinutes(1));
        var start = clock.GetTimestamp();
        using var go = new Barrier(4);
        // Threads of their own: four pool threads blocked at the barrier would wait for the pool to grow.
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Factory.StartNew(() =>
        {
            go.SignalAndWait(Hang.Guard);
            var kept = new List<int>();
            for (var i = 0; i < 5000; i++)
            {
                var id = (worker * 5000) + i;
                var entry = new ConcurrentEntry(id, woken);
                queue.Add(entry, start + minute + (i % 7));
                if (i % 50 == 0)
                {
                    kept.Add(id);
                }
                else
                {
                    queue.Remove(entry);
                }
            }

            return kept;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var left = (await Task.WhenAll(workers).WaitAsync(Hang.Guard)).SelectMany(kept => kept).Order().ToList();

        Assert.Equal(left.Count, queue.Count);
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(left, woken.Order());
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.Linked);
    }

    private sealed class ConcurrentEntry(int id, System.Collections.Concurrent.ConcurrentBag<int> woken) : DeadlineEntry
    {
        internal override long OnDue(long now)
        {
            woken.Add(id);
            return -1;
        }
    }
}
