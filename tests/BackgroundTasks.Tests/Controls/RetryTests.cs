using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Controls;

public sealed class RetryTests
{
    [Fact]
    public async Task Retry_FailedAttempts_SendRetryingEventsKeepTheAttemptUntilTheNextStartsAndEndOnlyAfterTheLast()
    {
        await using var time = new VirtualTime();
        var attempts = 0;
        var options = new SpawnOptions { Retry = new RetryPolicy { MaxAttempts = 3, Delay = TimeSpan.FromSeconds(1), Backoff = RetryBackoff.Constant } };
        var taskId = await time.SpawnAsync(options, _ =>
        {
            var attempt = Interlocked.Increment(ref attempts);
            return Task.FromResult(attempt < 3 ? TaskResult.Failed($"boom {attempt}") : TaskResult.Success(attempt));
        }, name: "flaky");

        for (var failed = 1; failed <= 2; failed++)
        {
            var retrying = await time.Events.NextCustomAsync("retrying");
            Assert.Equal(taskId, retrying.TaskId);
            Assert.Equal($$"""{"attempt":{{failed}},"error":"boom {{failed}}","delay_ms":1000}""", retrying.Payload.GetRawText());

            // Between attempts the task is Running, same name, and its record keeps the failed attempt's number.
            var between = time.Record(taskId);
            Assert.Equal(BackgroundTaskStatus.Running, between.Status);
            Assert.Equal(failed, between.Attempt);
            Assert.Null(between.CompletedAt);
            await Assert.ThrowsAsync<SpawnException>(() => time.SpawnAsync(SpawnOptions.Default, _ => Task.FromResult(TaskResult.Cancelled), name: "flaky"));
            time.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var terminal = await time.WaitAsync(taskId);

        Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
        Assert.Equal(3, terminal.Attempt);
        Assert.Equal(terminal.CreatedAt, terminal.StartedAt);
        Assert.Equal(["retrying", "retrying", "completed"], time.Events.Of(taskId).Select(Kind));
        Assert.Equal(2, time.Log.Named("TaskRetrying").Count);
    }

    public static TheoryData<RetryBackoff, long[]> Backoffs => new()
    {
        { RetryBackoff.Constant, [500, 500, 500] },
        { RetryBackoff.Linear, [500, 1000, 1500] },
        { RetryBackoff.Exponential, [500, 1000, 2000] },
    };

    [Theory]
    [MemberData(nameof(Backoffs))]
    public async Task Retry_EachBackoff_WaitsItsDelayOnTheClock(RetryBackoff backoff, long[] expected)
    {
        await using var time = new VirtualTime();
        var options = new SpawnOptions { Retry = new RetryPolicy { MaxAttempts = 4, Delay = TimeSpan.FromMilliseconds(500), Backoff = backoff } };
        var taskId = await time.SpawnAsync(options, _ => Task.FromResult(TaskResult.Failed("still down")));

        var delays = new List<long>();
        foreach (var delay in expected)
        {
            var retrying = await time.Events.NextCustomAsync("retrying");
            delays.Add(retrying.Payload.GetProperty("delay_ms").GetInt64());

            // A tick short of the delay, the next attempt has not started.
            time.Clock.Advance(TimeSpan.FromMilliseconds(delay) - TimeSpan.FromTicks(1));
            Assert.Equal(delays.Count, time.Record(taskId).Attempt);
            time.Clock.Advance(TimeSpan.FromTicks(1));
        }

        var terminal = await time.WaitAsync(taskId);
        Assert.Equal(expected, delays);
        Assert.Equal(BackgroundTaskStatus.Failed, terminal.Status);
        Assert.Equal("still down", terminal.Error);
        Assert.Equal(4, terminal.Attempt);
    }

    [Fact]
    public async Task Retry_WithJitterAndMaxDelay_DelaysStayWithinTheBoundsAndTheCap()
    {
        await using var time = new VirtualTime();
        var options = new SpawnOptions
        {
            Retry = new RetryPolicy { MaxAttempts = 6, Delay = TimeSpan.FromSeconds(1), UseJitter = true, MaxDelay = TimeSpan.FromSeconds(5) },
        };
        var taskId = await time.SpawnAsync(options, _ => Task.FromResult(TaskResult.Failed("down")));

        for (var retry = 1; retry <= 5; retry++)
        {
            var delay = (await time.Events.NextCustomAsync("retrying")).Payload.GetProperty("delay_ms").GetInt64();
            var floor = Math.Min(1000L << (retry - 1), 5000);
            Assert.InRange(delay, floor, Math.Min(floor * 5 / 4, 5000));
            time.Clock.Advance(TimeSpan.FromMilliseconds(delay + 1));
        }

        Assert.Equal(6, (await time.WaitAsync(taskId)).Attempt);
    }

    [Fact]
    public async Task Retry_ShouldRetry_SeesTheFailureAndAThrowAsItsMessage()
    {
        await using var time = new VirtualTime();
        var seen = new List<TaskResult>();
        var attempts = 0;
        var options = new SpawnOptions
        {
            Retry = new RetryPolicy
            {
                MaxAttempts = 5,
                Delay = TimeSpan.Zero,
                ShouldRetry = result =>
                {
                    seen.Add(result);
                    return result.Error != "fatal";
                },
            },
        };
        var taskId = await time.SpawnAsync(options, _ => Interlocked.Increment(ref attempts) == 1
            ? throw new InvalidOperationException("transient")
            : Task.FromResult(TaskResult.Failed("fatal")));

        var terminal = await time.WaitAsync(taskId);

        Assert.Equal(BackgroundTaskStatus.Failed, terminal.Status);
        Assert.Equal("fatal", terminal.Error);
        Assert.Equal(2, terminal.Attempt);
        Assert.Equal([TaskResult.Failed("transient"), TaskResult.Failed("fatal")], seen);
        Assert.Single(time.Events.Of(taskId), message => message is TaskEvent.Custom { EventType: "retrying" });
    }

    [Fact]
    public async Task Retry_SucceedingOrReturningCancelled_IsNotRetried()
    {
        await using var time = new VirtualTime();
        var options = new SpawnOptions { Retry = new RetryPolicy { Delay = TimeSpan.Zero } };
        var completed = await time.SpawnAsync(options, _ => Task.FromResult(TaskResult.Success(1)));
        var cancelled = await time.SpawnAsync(options, _ => Task.FromResult(TaskResult.Cancelled));

        Assert.Equal(1, (await time.WaitAsync(completed)).Attempt);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await time.WaitAsync(cancelled)).Status);
        Assert.DoesNotContain(time.Events.All, message => message is TaskEvent.Custom);
    }

    [Fact]
    public async Task Retry_CancelDuringTheDelay_EndsCancelledAtOnce()
    {
        await using var time = new VirtualTime();
        var options = new SpawnOptions { Retry = new RetryPolicy { Delay = TimeSpan.FromHours(1) } };
        var taskId = await time.SpawnAsync(options, _ => Task.FromResult(TaskResult.Failed("down")));
        await time.Events.NextCustomAsync("retrying");

        Assert.True(await time.Manager.CancelAsync(taskId));
        var terminal = await time.WaitAsync(taskId);

        Assert.Equal(BackgroundTaskStatus.Cancelled, terminal.Status);
        Assert.Equal(1, terminal.Attempt);
        Assert.Equal(time.Clock.GetUtcNow(), terminal.CompletedAt);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Retry_RequestedCancellation_IsNeverRetried(bool throwsOnCancel)
    {
        await using var time = new VirtualTime();
        var attempts = 0;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new SpawnOptions { Retry = new RetryPolicy { MaxAttempts = 5, Delay = TimeSpan.Zero } };
        var taskId = await time.SpawnAsync(options, async context =>
        {
            Interlocked.Increment(ref attempts);
            started.TrySetResult();
            await context.WhenCancelled();
            return throwsOnCancel ? throw new OperationCanceledException(context.CancellationToken) : TaskResult.Failed("stopped half way");
        });
        await started.Task.Guarded();

        await time.Manager.CancelAsync(taskId);
        var terminal = await time.WaitAsync(taskId);

        Assert.Equal(1, attempts);
        Assert.Equal(throwsOnCancel ? BackgroundTaskStatus.Cancelled : BackgroundTaskStatus.Failed, terminal.Status);
        Assert.DoesNotContain(time.Events.All, message => message is TaskEvent.Custom);
    }

    [Fact]
    public async Task Retry_AfterATimeout_RunsTheNextAttemptWithAFreshToken()
    {
        await using var time = new VirtualTime();
        var contexts = new List<TaskContext>();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new SpawnOptions
        {
            Timeout = TimeSpan.FromSeconds(10),
            Retry = new RetryPolicy { MaxAttempts = 2, Delay = TimeSpan.FromSeconds(1) },
        };
        var taskId = await time.SpawnAsync(options, async context =>
        {
            lock (contexts)
            {
                contexts.Add(context);
            }

            if (contexts.Count == 1)
            {
                firstStarted.SetResult();
                await Task.Delay(Timeout.Infinite, CancellationToken.None).WaitAsync(context.CancellationToken);
            }

            return TaskResult.Success(context.IsCancellationRequested ? "stale token" : "fresh token");
        });
        await firstStarted.Task.Guarded();

        time.Clock.Advance(TimeSpan.FromSeconds(10));
        var retrying = await time.Events.NextCustomAsync("retrying");
        time.Clock.Advance(TimeSpan.FromSeconds(1));
        var terminal = await time.WaitAsync(taskId);

        Assert.Equal("timed out after 00:00:10", retrying.Payload.GetProperty("error").GetString());
        Assert.Equal(BackgroundTaskStatus.Completed, terminal.Status);
        Assert.Equal("fresh token", terminal.Result?.GetString());
        Assert.Equal(2, terminal.Attempt);
        Assert.True(contexts[0].IsCancellationRequested);
    }

    [Fact]
    public async Task Retry_AgentTask_KeepsItsInboxOpenBetweenAttempts()
    {
        await using var time = new VirtualTime();
        var attempts = 0;
        var options = new SpawnOptions { Retry = new RetryPolicy { MaxAttempts = 2, Delay = TimeSpan.FromSeconds(1) } };
        var taskId = await time.Manager.SpawnAgentWithContextAsync("t1", "agent", "retries", TaskParentContext.None, options, async context =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                return TaskResult.Failed("first try");
            }

            var message = await context.Inbox.ReceiveAsync(context.CancellationToken);
            return message is TaskEvent.Custom custom
                ? TaskResult.Success(custom.Payload.GetProperty("content").GetString())
                : TaskResult.Failed("the inbox was closed");
        });
        await time.Events.NextCustomAsync("retrying");

        await time.Manager.SendTaskInboxMessageAsync(taskId, "t1", "parent", "sent between attempts");
        time.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("sent between attempts", (await time.WaitAsync(taskId)).Result?.GetString());
    }

    [Fact]
    public async Task Retry_WithACustomScheduler_RunsEveryAttemptOnIt()
    {
        var schedulers = new ConcurrentExclusiveSchedulerPair();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { TaskScheduler = schedulers.ExclusiveScheduler, TimeProvider = clock });
        using var events = new EventRecorder(fixture.Manager);
        var onScheduler = new List<bool>();
        var options = new SpawnOptions { Retry = new RetryPolicy { MaxAttempts = 3, Delay = TimeSpan.FromSeconds(1), Backoff = RetryBackoff.Constant } };
        var taskId = await fixture.Manager.SpawnAsync("t1", "work", null, "fails twice", TaskParentContext.None, options, _ =>
        {
            lock (onScheduler)
            {
                onScheduler.Add(TaskScheduler.Current == schedulers.ExclusiveScheduler);
            }

            return Task.FromResult(onScheduler.Count < 3 ? TaskResult.Failed("again") : TaskResult.Success(1));
        });

        for (var retry = 0; retry < 2; retry++)
        {
            // The delay ends on the clock's thread (this one); the next attempt must still run on the scheduler.
            await events.NextCustomAsync("retrying");
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, (await fixture.Manager.WaitAsync(taskId).Guarded()).Attempt);
        Assert.Equal([true, true, true], onScheduler);
    }

    private static string Kind(TaskEvent message) => message switch
    {
        TaskEvent.Custom custom => custom.EventType,
        TaskEvent.Completed => "completed",
        TaskEvent.Failed => "failed",
        _ => "cancelled",
    };
}
