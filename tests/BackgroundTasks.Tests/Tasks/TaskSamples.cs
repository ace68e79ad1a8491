using System.Text.Json;

namespace BackgroundTasks.Tests.Tasks;

/// <summary>Sample records and comparisons shared by the task type tests.</summary>
internal static class TaskSamples
{
    public static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
    public static readonly DateTimeOffset Completed = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_004_567);

    public static JsonElement Json(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>A running task with only the required fields set.</summary>
    public static TaskSummary Minimal(string taskId = "bg_0") => new()
    {
        TaskId = taskId,
        OwnerThreadId = "t1",
        TaskType = "shell",
        Description = "d",
        Status = BackgroundTaskStatus.Running,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(0),
    };

    public const string MinimalJson =
        """{"task_id":"bg_0","owner_thread_id":"t1","task_type":"shell","description":"d","status":"running","created_at_ms":0}""";

    /// <summary>A completed task with every field set.</summary>
    public static TaskSummary Full(string taskId = "bg_3") => new()
    {
        TaskId = taskId,
        OwnerThreadId = "thread-1",
        TaskType = "shell",
        Name = "builder",
        Description = "Build the docs",
        Status = BackgroundTaskStatus.Completed,
        Error = "partial",
        Result = Json("""{"files":[1,2],"ok":true}"""),
        CreatedAt = Created,
        CompletedAt = Completed,
        ParentContext = new TaskParentContext { TaskId = "bg_1", RunId = "run-9", CallId = "call-4", AgentId = "agent-2" },
    };

    public const string FullJson =
        """{"task_id":"bg_3","owner_thread_id":"thread-1","task_type":"shell","name":"builder","description":"Build the docs","status":"completed","error":"partial","result":{"files":[1,2],"ok":true},"created_at_ms":1700000000123,"completed_at_ms":1700000004567,"parent_context":{"task_id":"bg_1","run_id":"run-9","call_id":"call-4","agent_id":"agent-2"}}""";

    /// <summary>Asserts field by field, comparing results by JSON content (record equality compares them by document).</summary>
    public static void AssertSameSummary(TaskSummary expected, TaskSummary actual)
    {
        Assert.Equal(expected.TaskId, actual.TaskId);
        Assert.Equal(expected.OwnerThreadId, actual.OwnerThreadId);
        Assert.Equal(expected.TaskType, actual.TaskType);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Error, actual.Error);
        AssertSameJson(expected.Result, actual.Result);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.CompletedAt, actual.CompletedAt);
        Assert.Equal(expected.ParentContext, actual.ParentContext);
        Assert.Equal(expected with { Result = null }, actual with { Result = null });
    }

    public static void AssertSameJson(JsonElement? expected, JsonElement? actual)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } e && actual is { } a)
        {
            Assert.True(JsonElement.DeepEquals(e, a), $"Expected {e.GetRawText()} but got {a.GetRawText()}.");
        }
    }
}
