using System.Text.Json;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Controls;

public sealed class SpawnOptionsTests
{
    public static TheoryData<SpawnOptions, string> OutOfRange => new()
    {
        { new SpawnOptions { Timeout = TimeSpan.Zero }, "Timeout" },
        { new SpawnOptions { Timeout = TimeSpan.FromSeconds(-1) }, "Timeout" },
        { new SpawnOptions { HeartbeatTimeout = TimeSpan.Zero }, "HeartbeatTimeout" },
        { new SpawnOptions { ParentClosePolicy = (ParentClosePolicy)7 }, "ParentClosePolicy" },
        { new SpawnOptions { Retry = new RetryPolicy { MaxAttempts = 0 } }, "MaxAttempts" },
        { new SpawnOptions { Retry = new RetryPolicy { Delay = TimeSpan.FromMilliseconds(-1) } }, "Delay" },
        { new SpawnOptions { Retry = new RetryPolicy { MaxDelay = TimeSpan.FromMilliseconds(-1) } }, "MaxDelay" },
        { new SpawnOptions { Retry = new RetryPolicy { Backoff = (RetryBackoff)9 } }, "Backoff" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task SpawnAsync_OptionOutOfRange_ThrowsNamingItAndLeavesNothing(SpawnOptions options, string option)
    {
        await using var fixture = new ManagerFixture();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Manager.SpawnAsync(
            "t1", "work", "named", "does nothing", TaskParentContext.None, options, _ => Task.FromResult(TaskResult.Success(1))));

        Assert.Equal(option, error.ParamName);
        Assert.Empty(await fixture.Manager.ListAsync("t1"));
        Assert.Equal("bg_0", await fixture.Manager.SpawnAsync(
            "t1", "work", "named", "the name is still free", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1))));
    }

    [Fact]
    public async Task SpawnOverloads_NullOptions_ThrowArgumentNull()
    {
        await using var fixture = new ManagerFixture();
        var manager = fixture.Manager;

        await Assert.ThrowsAsync<ArgumentNullException>("options", () => manager.SpawnAsync(
            "t1", "work", null, "d", TaskParentContext.None, null!, _ => Task.FromResult(TaskResult.Cancelled)));
        await Assert.ThrowsAsync<ArgumentNullException>("options", () => manager.SpawnAgentAsync(
            "t1", null, "d", TaskParentContext.None, null!, (_, _, _) => Task.FromResult(TaskResult.Cancelled)));
        await Assert.ThrowsAsync<ArgumentNullException>("options", () => manager.SpawnAgentWithContextAsync(
            "t1", null, "d", TaskParentContext.None, null!, _ => Task.FromResult(TaskResult.Cancelled)));
    }

    [Fact]
    public async Task SpawnAsync_RunningRecord_CarriesStartedAtAndFirstAttempt()
    {
        await using var fixture = new ManagerFixture();
        var gate = new TaskCompletionSource();

        var taskId = await fixture.SpawnGatedAsync(gate.Task);
        var running = await fixture.Manager.GetAsync(taskId);
        gate.SetResult();
        var terminal = await fixture.Manager.WaitAsync(taskId).WaitAsync(Hang.Guard);

        Assert.Equal(running!.CreatedAt, running.StartedAt);
        Assert.Equal(1, running.Attempt);
        Assert.Equal(running.StartedAt, terminal.StartedAt);
        Assert.Equal(1, terminal.Attempt);
    }

    [Fact]
    public void Defaults_AreThePlainBehaviour()
    {
        Assert.Null(SpawnOptions.Default.Timeout);
        Assert.Null(SpawnOptions.Default.HeartbeatTimeout);
        Assert.Null(SpawnOptions.Default.Retry);
        Assert.Equal(ParentClosePolicy.Abandon, SpawnOptions.Default.ParentClosePolicy);

        var retry = new RetryPolicy();
        Assert.Equal(3, retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Delay);
        Assert.Equal(RetryBackoff.Exponential, retry.Backoff);
        Assert.Null(retry.MaxDelay);
        Assert.False(retry.UseJitter);
        Assert.Null(retry.ShouldRetry);
        Assert.Equal(TimeSpan.FromSeconds(30), new BackgroundTaskManagerOptions().ShutdownGrace);
    }

    public static TheoryData<BackgroundTaskManagerOptions, string> ManagerOutOfRange => new()
    {
        { new BackgroundTaskManagerOptions { MaxRunningPerOwner = 0 }, "MaxRunningPerOwner" },
        { new BackgroundTaskManagerOptions { MaxQueuedPerOwner = 0 }, "MaxQueuedPerOwner" },
        { new BackgroundTaskManagerOptions { ShutdownGrace = TimeSpan.FromSeconds(-1) }, "ShutdownGrace" },
    };

    [Theory]
    [MemberData(nameof(ManagerOutOfRange))]
    public void ManagerOptions_OutOfRange_ThrowWhenTheManagerIsCreated(BackgroundTaskManagerOptions options, string option)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BackgroundTaskManager(options));
        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public async Task ManagerOptions_InfiniteShutdownGrace_IsAccepted()
    {
        await using var manager = new BackgroundTaskManager(new BackgroundTaskManagerOptions { ShutdownGrace = Timeout.InfiniteTimeSpan });
    }

    [Theory]
    [InlineData(null, 0, "{}")]
    [InlineData(1_700_000_001_000L, 1, "{\"started_at_ms\":1700000001000}")]
    [InlineData(1_700_000_001_000L, 3, "{\"started_at_ms\":1700000001000,\"attempt\":3}")]
    public void SummaryJson_StartedAtAndAttempt_OmittedWhenUnsetAndRoundTrip(long? startedMs, int attempt, string expectedTail)
    {
        var summary = new TaskSummary
        {
            TaskId = "bg_1",
            OwnerThreadId = "t1",
            TaskType = "work",
            Description = "d",
            Status = startedMs is null ? BackgroundTaskStatus.Queued : BackgroundTaskStatus.Running,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000),
            StartedAt = startedMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            Attempt = attempt,
        };

        var json = JsonSerializer.Serialize(summary);
        var tail = json[json.IndexOf("\"created_at_ms\":1700000000000", StringComparison.Ordinal)..]
            .Replace("\"created_at_ms\":1700000000000", string.Empty, StringComparison.Ordinal)
            .TrimStart(',');

        Assert.Equal(expectedTail, "{" + tail);
        Assert.Equal(summary, JsonSerializer.Deserialize<TaskSummary>(json));
    }

    [Fact]
    public void SummaryJson_AttemptNotWholeNumber_ThrowsNamingIt()
    {
        const string json = """{"task_id":"bg_1","owner_thread_id":"t1","task_type":"w","description":"d","status":"running","created_at_ms":1,"attempt":"two"}""";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TaskSummary>(json));

        Assert.Contains("\"attempt\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("bg_1", error.Message, StringComparison.Ordinal);
    }
}
