using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Controls;

/// <summary>
/// Random mixes (seeded) of timeouts, heartbeats, retries, cancels, cancel-and-wait and a bounded shutdown: whatever
/// happens, every task ends terminal exactly once, never changes after that, and the store and the events agree.
/// </summary>
public sealed class RuntimeControlsPropertyTests
{
    private const int Tasks = 60;

    private enum Behaviour { Succeed, Fail, Throw, HonourCancellation, IgnoreCancellation, EmitThenHonour }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task RandomMix_EveryTaskEndsOnceAndTheStoreAndTheEventsAgree(int seed)
    {
        var random = new Random(seed);
        var time = new VirtualTime(shutdownGrace: TimeSpan.FromSeconds(5));
        using var ledger = new TerminalLedger(time.Store);
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waitingOnStuck = 0;

        var ids = new List<string>();
        for (var i = 0; i < Tasks; i++)
        {
            var behaviours = Enumerable.Range(0, 4).Select(_ => (Behaviour)random.Next(6)).ToArray();
            var attempt = -1;
            ids.Add(await time.SpawnAsync(RandomOptions(random), async context =>
            {
                switch (behaviours[Math.Min(Interlocked.Increment(ref attempt), behaviours.Length - 1)])
                {
                    case Behaviour.Succeed:
                        return TaskResult.Success("ok");
                    case Behaviour.Fail:
                        return TaskResult.Failed("failed");
                    case Behaviour.Throw:
                        throw new InvalidOperationException("threw");
                    case Behaviour.IgnoreCancellation:
                        Interlocked.Increment(ref waitingOnStuck);
                        await stuck.Task;
                        return TaskResult.Success("late");
                    case Behaviour.EmitThenHonour:
                        context.Emit("progress", ManagerFixture.Json("{}"));
                        goto default;
                    default:
                        await context.WhenCancelled();
                        context.CancellationToken.ThrowIfCancellationRequested();
                        return TaskResult.Success("unreachable");
                }
            }));
        }

        var stops = new List<Task<TaskSummary?>>();
        for (var step = 0; step < 30; step++)
        {
            var target = ids[random.Next(ids.Count)];
            switch (random.Next(4))
            {
                case 0:
                    await time.Manager.CancelAsync(target);
                    break;
                case 1:
                    stops.Add(time.Manager.CancelAndWaitAsync(target, TimeSpan.FromMilliseconds(random.Next(0, 3000))));
                    break;
                default:
                    time.Clock.Advance(TimeSpan.FromMilliseconds(random.Next(0, 3000)));
                    await Task.Yield();
                    break;
            }
        }

        var disposing = time.Manager.DisposeAsync().AsTask();
        time.Clock.Advance(TimeSpan.FromSeconds(5));
        await disposing.Guarded();
        foreach (var stop in stops)
        {
            Assert.True((await stop.Guarded())!.Status.IsTerminal());
        }

        // Bodies that ignored their tokens now return: their results must change nothing.
        stuck.SetResult();
        await time.Log.WhenLoggedTimes("LateResultIgnored", Volatile.Read(ref waitingOnStuck)).Guarded();

        foreach (var taskId in ids)
        {
            var record = time.Record(taskId);
            Assert.True(record.Status.IsTerminal(), $"{taskId} is {record.Status}.");
            Assert.Equal(1, ledger.TerminalWrites.GetValueOrDefault(taskId));

            var events = time.Events.Of(taskId);
            var terminal = events[^1];
            Assert.Single(events, message => message is not TaskEvent.Custom);
            Assert.Equal(record.Status, terminal switch
            {
                TaskEvent.Completed => BackgroundTaskStatus.Completed,
                TaskEvent.Failed => BackgroundTaskStatus.Failed,
                _ => BackgroundTaskStatus.Cancelled,
            });
            if (terminal is TaskEvent.Failed failed)
            {
                Assert.Equal(record.Error, failed.Error);
            }

            var retries = events.Count(message => message is TaskEvent.Custom { EventType: "retrying" });
            Assert.InRange(record.Attempt, Math.Max(1, retries), retries + 1);
        }

        Assert.Equal(0, ledger.WritesAfterEnd);
        Assert.Equal(0, time.Manager.PendingDeadlines);
        await time.DisposeAsync();
    }

    private static SpawnOptions RandomOptions(Random random) => new()
    {
        Timeout = random.Next(2) == 0 ? TimeSpan.FromMilliseconds(random.Next(1, 4000)) : null,
        HeartbeatTimeout = random.Next(4) == 0 ? TimeSpan.FromMilliseconds(random.Next(1, 2000)) : null,
        Retry = random.Next(2) == 0
            ? new RetryPolicy
            {
                MaxAttempts = random.Next(1, 4),
                Delay = TimeSpan.FromMilliseconds(random.Next(0, 1500)),
                Backoff = (RetryBackoff)random.Next(3),
                UseJitter = random.Next(2) == 0,
            }
            : null,
    };
}
