using System.Globalization;
using BackgroundTasks.Tests.TestSupport;
using static BackgroundTasks.Tests.Controls.ConcurrencyLimitTests;

namespace BackgroundTasks.Tests.Controls;

public sealed class ConcurrencyLimitRaceTests
{
    [Fact]
    public async Task ConcurrentSpawns_NeverRunMoreThanTheLimitAtOnce()
    {
        const int Limit = 3;
        await using var fixture = Limited(maxRunning: Limit);
        var inside = 0;
        var peak = 0;
        using var start = new Barrier(4);

        var spawners = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            var ids = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                ids.Add(await fixture.Manager.SpawnAsync("t1", "x", null, "counts", TaskParentContext.None, async _ =>
                {
                    var now = Interlocked.Increment(ref inside);
                    Peak.Raise(ref peak, now);
                    await Task.Yield();
                    Interlocked.Decrement(ref inside);
                    return TaskResult.Success(0);
                }));
            }

            return ids;
        })).ToArray();

        var all = (await Task.WhenAll(spawners).Guarded()).SelectMany(ids => ids).ToArray();
        var terminals = await fixture.Manager.WaitAllAsync(all).Guarded();

        Assert.All(terminals, s => Assert.Equal(BackgroundTaskStatus.Completed, s.Status));
        Assert.InRange(Volatile.Read(ref peak), 1, Limit);
    }

    [Fact]
    public async Task ConcurrentSpawns_StartInSpawnOrder()
    {
        await using var fixture = Limited(maxRunning: 1);
        var gate = new TaskCompletionSource();
        var first = await fixture.SpawnGatedAsync(gate.Task);
        var order = new List<string>();
        using var start = new Barrier(4);

        var spawners = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            var ids = new List<string>();
            for (var i = 0; i < 25; i++)
            {
                ids.Add(await SpawnRecordingStartAsync(fixture, order));
            }

            return ids;
        })).ToArray();
        var all = (await Task.WhenAll(spawners).Guarded()).SelectMany(ids => ids).ToArray();
        gate.SetResult();
        await fixture.Manager.WaitAllAsync([first, .. all]).Guarded();

        Assert.Equal(all.OrderBy(Number), order);
    }

    [Fact]
    public async Task CancelRacingWithAQueuedStart_EitherRunsTheBodyOrEndsCancelledWithoutIt()
    {
        for (var round = 0; round < 100; round++)
        {
            await using var fixture = Limited(maxRunning: 1);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await fixture.SpawnGatedAsync(gate.Task);
            var entered = 0;

            // The body ignores its token, so a body that ran always ends Completed.
            var queued = await ConcurrencyLimitCancelTests.SpawnCountingAsync(fixture, () => Interlocked.Increment(ref entered));
            using var start = new Barrier(2);

            var release = Task.Run(() =>
            {
                start.SignalAndWait();
                gate.SetResult();
            });
            var cancel = Task.Run(async () =>
            {
                start.SignalAndWait();
                return await fixture.Manager.CancelAsync(queued);
            });
            await release.Guarded();
            var signalled = await cancel.Guarded();
            var terminal = await fixture.Manager.WaitAsync(queued).Guarded();

            if (terminal.Status == BackgroundTaskStatus.Cancelled)
            {
                Assert.True(signalled);
                Assert.Equal(0, Volatile.Read(ref entered));
            }
            else
            {
                Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
                Assert.Equal(1, Volatile.Read(ref entered));
            }
        }
    }

    private static long Number(string taskId) => long.Parse(taskId.AsSpan(3), CultureInfo.InvariantCulture);
}
