using BackgroundTasks.AI.Tests.TestSupport;

namespace BackgroundTasks.AI.Tests;

/// <summary>task_status, task_list and task_cancel, and that none of them reaches another thread's tasks.</summary>
public sealed class TaskQueryFunctionTests
{
    [Fact]
    public async Task Status_OwnTask_AnswersItsSummaryJson()
    {
        await using var harness = ToolsHarness.Create();
        var taskId = await harness.SpawnAsync("survey topic A", "alpha");
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(new { papers = 3 }));

        var result = await harness.CallAsync("task_status", $$"""{"task_id": "{{taskId}}"}""");

        Assert.Equal((taskId, "alpha", "completed", 3), (result.GetProperty("task_id").GetString(), result.GetProperty("name").GetString(),
            result.GetProperty("status").GetString(), result.GetProperty("result").GetProperty("papers").GetInt32()));
    }

    [Theory]
    [InlineData("bg_999")]
    [InlineData("other")]
    public async Task Status_UnknownIdOrAnotherThreadsTask_AnswersNotFound(string which)
    {
        await using var harness = ToolsHarness.Create();
        var other = await harness.SpawnOnOtherThreadAsync("secret work");
        var taskId = which == "other" ? other : which;

        var result = await harness.CallAsync("task_status", $$"""{"task_id": "{{taskId}}"}""");

        Assert.Equal("""{"error":"not_found"}""", result.GetRawText());
    }

    [Fact]
    public async Task List_AnswersThisThreadsTasksOnly_OptionallyOfOneStatus()
    {
        await using var harness = ToolsHarness.Create();
        var done = await harness.SpawnAsync("survey topic A");
        var live = await harness.SpawnAsync("survey topic B");
        await harness.SpawnOnOtherThreadAsync("secret work");
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(1));

        var all = await harness.CallAsync("task_list");
        var running = await harness.CallAsync("task_list", """{"status": "running"}""");
        var failed = await harness.CallAsync("task_list", """{"status": "failed"}""");

        Assert.Equal([done, live], all.GetProperty("tasks").EnumerateArray().Select(task => task.GetProperty("task_id").GetString()));
        Assert.Equal([live], running.GetProperty("tasks").EnumerateArray().Select(task => task.GetProperty("task_id").GetString()));
        Assert.Equal(0, failed.GetProperty("tasks").GetArrayLength());
    }

    [Fact]
    public async Task List_UnknownStatus_AnswersInvalidArguments()
    {
        await using var harness = ToolsHarness.Create();

        var result = await harness.CallAsync("task_list", """{"status": "done"}""");

        Assert.Equal("invalid_arguments", ToolsHarness.Error(result));
        Assert.Equal(Messages.NotOneOf("status", ["queued", "running", "completed", "failed", "cancelled"]), result.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Cancel_LiveTask_AnswersOne_AndTheTaskEndsCancelled()
    {
        await using var harness = ToolsHarness.Create();
        var taskId = await harness.SpawnAsync("survey topic A");

        var result = await harness.CallAsync("task_cancel", $$"""{"task_id": "{{taskId}}"}""");

        Assert.Equal("""{"cancelled":1}""", result.GetRawText());
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await harness.Manager.WaitAsync(taskId).WaitAsync(ToolsHarness.HangGuard)).Status);
    }

    [Fact]
    public async Task Cancel_Tree_CountsTheTaskAndItsDescendants()
    {
        await using var harness = ToolsHarness.Create();
        var root = await harness.SpawnAsync("survey topic A");
        var child = await harness.SpawnPlainAsync("fetch a paper", parent: new TaskParentContext { TaskId = root });

        var result = await harness.CallAsync("task_cancel", $$"""{"task_id": "{{root}}", "tree": true}""");

        Assert.Equal("""{"cancelled":2}""", result.GetRawText());
        Assert.Equal(BackgroundTaskStatus.Cancelled, (await harness.Manager.WaitAsync(child).WaitAsync(ToolsHarness.HangGuard)).Status);
    }

    [Fact]
    public async Task Cancel_UnknownEndedOrAnotherThreadsTask_AnswersZero_AndLeavesTheOtherThreadsTaskRunning()
    {
        await using var harness = ToolsHarness.Create();
        var other = await harness.SpawnOnOtherThreadAsync("secret work");
        var ended = await harness.SpawnAsync("survey topic A");
        await harness.FinishAndWaitAsync("survey topic A", TaskResult.Success(1));

        foreach (var taskId in new[] { "bg_999", other, ended })
        {
            var result = await harness.CallAsync("task_cancel", $$"""{"task_id": "{{taskId}}", "tree": true}""");
            Assert.Equal("""{"cancelled":0}""", result.GetRawText());
        }

        Assert.Equal(BackgroundTaskStatus.Running, (await harness.Manager.GetAsync(other))!.Status);
    }
}
