using System.Text.Json;
using BackgroundTasks.AI.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.AI.Tests;

public sealed class SpawnAgentFunctionTests
{
    [Fact]
    public async Task Spawn_RunsTheRegisteredBodyWithTheTaskText_AndAnswersRunning()
    {
        await using var harness = ToolsHarness.Create();

        var result = await harness.CallAsync("spawn_agent", """{"agent": "researcher", "task": "survey topic A", "name": "alpha"}""");

        var taskId = result.GetProperty("task_id").GetString()!;
        Assert.Equal("running", result.GetProperty("status").GetString());
        Assert.Equal(taskId, await harness.StartedAsync("survey topic A"));
        var summary = (await harness.Manager.GetAsync(taskId))!;
        Assert.Equal((ToolsHarness.Thread, "alpha", "survey topic A", BackgroundTaskManager.SubAgentTaskType),
            (summary.OwnerThreadId, summary.Name, summary.Description, summary.TaskType));
    }

    [Fact]
    public async Task Spawn_Lineage_CarriesTheRunAndTheAgent_SoCancellingTheRunStopsTheAgents()
    {
        await using var harness = ToolsHarness.Create();
        var first = await harness.SpawnAsync("survey topic A");
        var second = await harness.SpawnAsync("survey topic B");

        var summary = (await harness.Manager.GetAsync(first))!;
        Assert.Equal(new TaskParentContext { RunId = ToolsHarness.Run, AgentId = ToolsHarness.Agent }, summary.ParentContext);
        Assert.Equal(2, await harness.Manager.CancelDescendantsForRunAsync(ToolsHarness.Run));
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await harness.Manager.WaitAsync(first).WaitAsync(ToolsHarness.HangGuard)).Status);
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await harness.Manager.WaitAsync(second).WaitAsync(ToolsHarness.HangGuard)).Status);
    }

    [Fact]
    public async Task Spawn_UnknownAgent_AnswersUnknownAgentWithTheKinds()
    {
        await using var harness = ToolsHarness.Create();

        var result = await harness.CallAsync("spawn_agent", """{"agent": "poet", "task": "write"}""");

        Assert.Equal("unknown_agent", ToolsHarness.Error(result));
        Assert.Equal(["researcher"], result.GetProperty("agents").EnumerateArray().Select(kind => kind.GetString()));
        Assert.Empty(await harness.Manager.ListAsync(ToolsHarness.Thread));
    }

    [Fact]
    public async Task Spawn_NameOfALiveTask_AnswersDuplicateName()
    {
        await using var harness = ToolsHarness.Create();
        await harness.SpawnAsync("survey topic A", "alpha");

        var result = await harness.CallAsync("spawn_agent", """{"agent": "researcher", "task": "survey topic B", "name": "alpha"}""");

        Assert.Equal("""{"error":"duplicate_name"}""", result.GetRawText());
    }

    [Fact]
    public async Task Spawn_ReservedName_AnswersReservedName()
    {
        await using var harness = ToolsHarness.Create();

        var result = await harness.CallAsync("spawn_agent", """{"agent": "researcher", "task": "survey", "name": "parent"}""");

        Assert.Equal("""{"error":"reserved_name"}""", result.GetRawText());
    }

    [Fact]
    public async Task Spawn_BeyondTheThreadsConcurrencyLimit_AnswersQueued_ThenQueueFull()
    {
        await using var harness = ToolsHarness.Create(managerOptions: new() { MaxRunningPerOwner = 1, MaxQueuedPerOwner = 1 });
        await harness.SpawnAsync("survey topic A");

        var queued = await harness.CallAsync("spawn_agent", """{"agent": "researcher", "task": "survey topic B"}""");
        var refused = await harness.CallAsync("spawn_agent", """{"agent": "researcher", "task": "survey topic C"}""");

        Assert.Equal("queued", queued.GetProperty("status").GetString());
        Assert.Equal("queue_full", ToolsHarness.Error(refused));
        Assert.Equal(2, (await harness.Manager.ListAsync(ToolsHarness.Thread)).Count);
    }

    [Fact]
    public async Task Spawn_AfterTheRunWasCancelled_AnswersRunCancelled()
    {
        await using var harness = ToolsHarness.Create();
        await harness.SpawnAsync("survey topic A");
        await harness.Manager.CancelDescendantsForRunAsync(ToolsHarness.Run);

        var result = await harness.CallAsync("spawn_agent", """{"agent": "researcher", "task": "survey topic B"}""");

        Assert.Equal("run_cancelled", ToolsHarness.Error(result));
    }

    [Fact]
    public async Task Spawn_RefusedForAnotherReason_AnswersSpawnFailedWithTheManagersMessage()
    {
        await using var manager = new BackgroundTaskManager();
        var options = new BackgroundTaskToolsOptions();
        options.Agents["researcher"] = new SubAgentDefinition("researches", (_, _) => Task.FromResult(TaskResult.Success(1)));
        var spawn = new BackgroundTaskTools(manager, "t1", "lead", options).Functions[0];

        var result = Assert.IsType<JsonElement>(await spawn.InvokeAsync(new(new Dictionary<string, object?> { ["agent"] = "researcher", ["task"] = "t" })));

        var refusal = await Assert.ThrowsAsync<SpawnException>(() =>
            manager.SpawnAgentWithContextAsync("t1", null, "t", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(1))));
        Assert.Equal(JsonSerializer.Serialize(new { error = "spawn_failed", message = refusal.Message }), result.GetRawText());
    }

    [Fact]
    public async Task Spawn_KindWithSpawnOptions_RunsTheAgentUnderThem()
    {
        var time = new FakeTimeProvider();
        using var store = new TaskStateStore();
        await using var manager = new BackgroundTaskManager(store, new BackgroundTaskManagerOptions { TimeProvider = time });
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new BackgroundTaskToolsOptions();
        options.Agents["slow"] = new SubAgentDefinition("never answers", async (_, context) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
            return TaskResult.Success(1);
        })
        { SpawnOptions = new SpawnOptions { Timeout = TimeSpan.FromSeconds(5) } };
        var spawn = new BackgroundTaskTools(manager, "t1", "lead", options).Functions[0];

        var result = Assert.IsType<JsonElement>(await spawn.InvokeAsync(new(new Dictionary<string, object?> { ["agent"] = "slow", ["task"] = "t" })));
        await started.Task.WaitAsync(ToolsHarness.HangGuard);
        time.Advance(TimeSpan.FromSeconds(5));

        var ended = await manager.WaitAsync(result.GetProperty("task_id").GetString()!).WaitAsync(ToolsHarness.HangGuard);
        Assert.Equal((BackgroundTaskStatus.Failed, "timed out after 00:00:05"), (ended.Status, ended.Error));
    }

    [Fact]
    public async Task Schema_ListsTheAgentKinds_AndRequiresAgentAndTask()
    {
        await using var harness = ToolsHarness.Create();
        var schema = harness.Function("spawn_agent").JsonSchema;

        Assert.Equal(["researcher"], schema.GetProperty("properties").GetProperty("agent").GetProperty("enum").EnumerateArray().Select(kind => kind.GetString()));
        Assert.Equal(["agent", "task"], schema.GetProperty("required").EnumerateArray().Select(name => name.GetString()));
        Assert.Contains("\"researcher\": researches one question", harness.Function("spawn_agent").Description, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, schema.ValueKind);
    }

    [Theory]
    [InlineData("unknown_agent")]
    [InlineData("duplicate_name")]
    [InlineData("reserved_name")]
    [InlineData("queue_full")]
    [InlineData("run_cancelled")]
    [InlineData("spawn_failed")]
    [InlineData("invalid_arguments")]
    public async Task Description_NamesEveryErrorItCanAnswer(string code)
    {
        await using var harness = ToolsHarness.Create();

        Assert.Contains(code, harness.Function("spawn_agent").Description, StringComparison.Ordinal);
    }
}
