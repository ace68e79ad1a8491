using System.Text.Json;
using BackgroundTasks.AI.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.AI.Tests;

public sealed class TaskWaitFunctionTests
{
    [Fact]
    public async Task WaitAll_AnswersWhenEveryTaskEnded()
    {
        await using var harness = ToolsHarness.Create();
        var first = await harness.SpawnAsync("survey topic A");
        var second = await harness.SpawnAsync("survey topic B");

        var waiting = harness.CallAsync("task_wait", $$"""{"task_ids": ["{{first}}", "{{second}}"]}""");
        harness.Finish("survey topic A", TaskResult.Success(1));
        Assert.False(waiting.IsCompleted);
        harness.Finish("survey topic B", TaskResult.Failed("no sources"));
        var result = await waiting;

        Assert.Equal([first, second], Ids(result.GetProperty("finished")));
        Assert.Equal("no sources", result.GetProperty("finished")[1].GetProperty("error").GetString());
        Assert.Equal(0, result.GetProperty("pending").GetArrayLength());
    }

    [Fact]
    public async Task WaitAny_AnswersWithTheEndedTask_AndTheOthersPending()
    {
        await using var harness = ToolsHarness.Create();
        var first = await harness.SpawnAsync("survey topic A");
        var second = await harness.SpawnAsync("survey topic B");

        var waiting = harness.CallAsync("task_wait", $$"""{"task_ids": ["{{first}}", "{{second}}"], "mode": "any"}""");
        harness.Finish("survey topic B", TaskResult.Success(2));
        var result = await waiting;

        Assert.Equal([second], Ids(result.GetProperty("finished")));
        Assert.Equal([first], result.GetProperty("pending").EnumerateArray().Select(id => id.GetString()));
    }

    [Fact]
    public async Task Wait_TimeoutBeyondMaxWait_IsCappedByMaxWait()
    {
        var time = new FakeTimeProvider();
        await using var harness = ToolsHarness.Create(options => new() { RunId = options.RunId, TimeProvider = time, MaxWait = TimeSpan.FromSeconds(30) });
        var taskId = await harness.SpawnAsync("survey topic A");

        var waiting = harness.CallAsync("task_wait", $$"""{"task_ids": ["{{taskId}}"], "timeout_seconds": 1e300}""");
        time.Advance(TimeSpan.FromSeconds(29.999));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await waiting;

        Assert.Equal(0, result.GetProperty("finished").GetArrayLength());
        Assert.Equal([taskId], result.GetProperty("pending").EnumerateArray().Select(id => id.GetString()));
        Assert.Equal(BackgroundTaskStatus.Running, (await harness.Manager.GetAsync(taskId))!.Status);
    }

    [Fact]
    public async Task Wait_NoTimeout_WaitsMaxWait_AndAShorterTimeoutIsKept()
    {
        var time = new FakeTimeProvider();
        await using var harness = ToolsHarness.Create(options => new() { RunId = options.RunId, TimeProvider = time, MaxWait = TimeSpan.FromSeconds(10) });
        var taskId = await harness.SpawnAsync("survey topic A");

        var unbounded = harness.CallAsync("task_wait", $$"""{"task_ids": ["{{taskId}}"]}""");
        var bounded = harness.CallAsync("task_wait", $$"""{"task_ids": ["{{taskId}}"], "timeout_seconds": 2}""");
        time.Advance(TimeSpan.FromSeconds(2));
        await bounded;
        Assert.False(unbounded.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(8));
        await unbounded;
    }

    [Fact]
    public async Task Wait_ZeroTimeout_AnswersAtOnce()
    {
        await using var harness = ToolsHarness.Create(options => new() { RunId = options.RunId, TimeProvider = new FakeTimeProvider() });
        var taskId = await harness.SpawnAsync("survey topic A");

        var result = await harness.CallAsync("task_wait", $$"""{"task_ids": ["{{taskId}}", "{{taskId}}"], "timeout_seconds": 0}""");

        Assert.Equal([taskId], result.GetProperty("pending").EnumerateArray().Select(id => id.GetString()));
    }

    [Theory]
    [InlineData("bg_999")]
    [InlineData("other")]
    public async Task Wait_UnknownIdOrAnotherThreadsTask_AnswersNotFoundNamingTheId(string which)
    {
        await using var harness = ToolsHarness.Create();
        var own = await harness.SpawnAsync("survey topic A");
        var other = await harness.SpawnOnOtherThreadAsync("secret work");
        var taskId = which == "other" ? other : which;

        var result = await harness.CallAsync("task_wait", $$"""{"task_ids": ["{{own}}", "{{taskId}}"]}""");

        Assert.Equal($$"""{"error":"not_found","task_id":"{{taskId}}"}""", result.GetRawText());
    }

    [Fact]
    public async Task Wait_CallerCancels_PropagatesTheCancellation()
    {
        await using var harness = ToolsHarness.Create();
        var taskId = await harness.SpawnAsync("survey topic A");
        using var cancel = new CancellationTokenSource();

        var waiting = harness.Function("task_wait").InvokeAsync(
            new AIFunctionArguments(new Dictionary<string, object?> { ["task_ids"] = new[] { taskId } }), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(ToolsHarness.HangGuard));
        Assert.Equal(BackgroundTaskStatus.Running, (await harness.Manager.GetAsync(taskId))!.Status);
    }

    private static IEnumerable<string?> Ids(JsonElement summaries) =>
        summaries.EnumerateArray().Select(summary => summary.GetProperty("task_id").GetString());
}
