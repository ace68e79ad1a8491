using System.Text.Json;
using static BackgroundTasks.Tests.Tasks.TaskSamples;

namespace BackgroundTasks.Tests.Tasks;

public class TaskSummaryTests
{
    private const string Bg0 = "task 'bg_0'";

    [Fact]
    public void Serialize_RequiredFieldsOnly_OmitsOptionalFields() =>
        Assert.Equal(MinimalJson, JsonSerializer.Serialize(Minimal()));

    [Fact]
    public void Serialize_EveryFieldSet_WritesEveryFieldInOrder() =>
        Assert.Equal(FullJson, JsonSerializer.Serialize(Full()));

    [Fact]
    public void Serialize_FailedTask_WritesErrorWithoutResult()
    {
        TaskSummary failed = Minimal() with { Status = BackgroundTaskStatus.Failed, Error = "boom", CompletedAt = Completed };

        Assert.Equal(
            """{"task_id":"bg_0","owner_thread_id":"t1","task_type":"shell","description":"d","status":"failed","error":"boom","created_at_ms":0,"completed_at_ms":1700000004567}""",
            JsonSerializer.Serialize(failed));
    }

    [Fact]
    public void Serialize_PartialParentContext_OmitsNullFields()
    {
        TaskSummary summary = Minimal() with { ParentContext = new TaskParentContext { RunId = "r1", AgentId = "a1" } };

        Assert.EndsWith(""","created_at_ms":0,"parent_context":{"run_id":"r1","agent_id":"a1"}}""", JsonSerializer.Serialize(summary), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_JsonNullResult_OmitsResult() =>
        Assert.Equal(MinimalJson, JsonSerializer.Serialize(Minimal() with { Result = Json("null") }));

    [Fact]
    public void Serialize_NullParentContext_TreatedAsEmpty() =>
        Assert.Equal(MinimalJson, JsonSerializer.Serialize(Minimal() with { ParentContext = null! }));

    [Fact]
    public void Serialize_WithWebOptions_KeepsSnakeCase() =>
        Assert.Equal(MinimalJson, JsonSerializer.Serialize(Minimal(), JsonSerializerOptions.Web));

    [Fact]
    public void Serialize_NonUtcOffset_WritesTheSameInstant()
    {
        DateTimeOffset local = Created.ToOffset(TimeSpan.FromHours(5));

        TaskSummary back = JsonSerializer.Deserialize<TaskSummary>(JsonSerializer.Serialize(Minimal() with { CreatedAt = local }))!;

        Assert.Equal(local, back.CreatedAt);
        Assert.Equal(TimeSpan.Zero, back.CreatedAt.Offset);
    }

    [Fact]
    public void Deserialize_EveryFieldSet_RoundTrips() =>
        AssertSameSummary(Full(), JsonSerializer.Deserialize<TaskSummary>(FullJson)!);

    [Fact]
    public void Deserialize_RequiredFieldsOnly_RoundTripsWithDefaults()
    {
        TaskSummary summary = JsonSerializer.Deserialize<TaskSummary>(MinimalJson)!;

        Assert.Equal(Minimal(), summary);
        Assert.Null(summary.Name);
        Assert.Null(summary.Error);
        Assert.Null(summary.Result);
        Assert.Null(summary.CompletedAt);
        Assert.Same(TaskParentContext.None, summary.ParentContext);
    }

    [Theory]
    [InlineData(BackgroundTaskStatus.Running)]
    [InlineData(BackgroundTaskStatus.Completed)]
    [InlineData(BackgroundTaskStatus.Failed)]
    [InlineData(BackgroundTaskStatus.Cancelled)]
    public void Deserialize_EachStatus_RoundTrips(BackgroundTaskStatus status)
    {
        string json = JsonSerializer.Serialize(Minimal() with { Status = status });

        Assert.Contains($"\"status\":\"{status.AsString()}\"", json, StringComparison.Ordinal);
        Assert.Equal(status, JsonSerializer.Deserialize<TaskSummary>(json)!.Status);
    }

    [Theory]
    [InlineData("bg_1", null, null, null)]
    [InlineData(null, "r1", null, null)]
    [InlineData(null, null, "c1", null)]
    [InlineData(null, null, null, "a1")]
    [InlineData(null, "r1", "c1", null)]
    public void Deserialize_PartialParentContext_RoundTrips(string? taskId, string? runId, string? callId, string? agentId)
    {
        var parent = new TaskParentContext { TaskId = taskId, RunId = runId, CallId = callId, AgentId = agentId };

        TaskSummary back = JsonSerializer.Deserialize<TaskSummary>(JsonSerializer.Serialize(Minimal() with { ParentContext = parent }))!;

        Assert.Equal(parent, back.ParentContext);
    }

    [Theory]
    [InlineData("""{"a":{"b":[1,2.5,"x",null,true]}}""")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("0")]
    [InlineData("false")]
    public void Deserialize_AnyResultValue_RoundTrips(string result)
    {
        TaskSummary summary = Minimal() with { Status = BackgroundTaskStatus.Completed, Result = Json(result), CompletedAt = Completed };

        AssertSameSummary(summary, JsonSerializer.Deserialize<TaskSummary>(JsonSerializer.Serialize(summary))!);
    }

    [Fact]
    public void Deserialize_NullOptionalFields_ReadAsNullOrEmpty()
    {
        const string json = """{"task_id":"bg_0","owner_thread_id":"t1","task_type":"shell","name":null,"description":"d","status":"running","error":null,"result":null,"created_at_ms":0,"completed_at_ms":null,"parent_context":null}""";

        Assert.Equal(Minimal(), JsonSerializer.Deserialize<TaskSummary>(json));
    }

    [Fact]
    public void Deserialize_EmptyParentContextObject_ReadsNone() =>
        Assert.Same(
            TaskParentContext.None,
            JsonSerializer.Deserialize<TaskSummary>(MinimalJson.Replace("}", ""","parent_context":{}}""", StringComparison.Ordinal))!.ParentContext);

    [Fact]
    public void Deserialize_UnknownPropertiesAndOtherOrder_Reads()
    {
        const string json = """{"created_at_ms":0,"status":"running","future":{"x":1},"description":"d","task_type":"shell","owner_thread_id":"t1","task_id":"bg_0"}""";

        Assert.Equal(Minimal(), JsonSerializer.Deserialize<TaskSummary>(json));
    }

    [Fact]
    public void Deserialize_LiteralNull_ReturnsNull() =>
        Assert.Null(JsonSerializer.Deserialize<TaskSummary>("null"));

    public static TheoryData<string, string> BadSummaries => new()
    {
        { "[1]", Messages.RecordNotObject("the task summary", JsonValueKind.Array) },
        { Without("task_id"), Messages.MissingProperty("task_id", "the task summary") },
        { Set("task_id", "\"\""), Messages.EmptyString("task_id", "the task summary") },
        { Without("owner_thread_id"), Messages.MissingProperty("owner_thread_id", Bg0) },
        { Set("owner_thread_id", "\"\""), Messages.EmptyString("owner_thread_id", Bg0) },
        { Without("task_type"), Messages.MissingProperty("task_type", Bg0) },
        { Set("task_type", "null"), Messages.WrongKind("task_type", Bg0, "a string", JsonValueKind.Null) },
        { Without("description"), Messages.MissingProperty("description", Bg0) },
        { Set("name", "5"), Messages.WrongKind("name", Bg0, "a string or null", JsonValueKind.Number) },
        { Without("status"), Messages.MissingProperty("status", Bg0) },
        { Set("status", "\"paused\""), Messages.UnknownStatus("paused", Bg0) },
        { Set("status", "\"Running\""), Messages.UnknownStatus("Running", Bg0) },
        { Set("status", "1"), Messages.WrongKind("status", Bg0, "a string", JsonValueKind.Number) },
        { Set("error", "{}"), Messages.WrongKind("error", Bg0, "a string or null", JsonValueKind.Object) },
        { Without("created_at_ms"), Messages.MissingProperty("created_at_ms", Bg0) },
        { Set("created_at_ms", "\"2024-01-01\""), Messages.TimeNotNumber("created_at_ms", Bg0, JsonValueKind.String) },
        { Set("created_at_ms", "1.5"), Messages.TimeNotWholeNumber("created_at_ms", Bg0, "1.5") },
        { Set("created_at_ms", "9999999999999999"), Messages.TimeOutOfRange("created_at_ms", Bg0, 9999999999999999) },
        { Set("completed_at_ms", "true"), Messages.TimeNotNumber("completed_at_ms", Bg0, JsonValueKind.True) },
        { Set("parent_context", "[]"), Messages.WrongKind("parent_context", Bg0, "an object or null", JsonValueKind.Array) },
        { Set("parent_context", """{"run_id":3}"""), Messages.WrongKind("run_id", "the parent context of task 'bg_0'", "a string or null", JsonValueKind.Number) },
    };

    [Theory]
    [MemberData(nameof(BadSummaries))]
    public void Deserialize_InvalidSummary_ThrowsJsonExceptionNamingProblem(string json, string expectedMessage)
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TaskSummary>(json));

        Assert.Equal(expectedMessage, ex.Message);
    }

    [Fact]
    public void Deserialize_UnknownStatus_MessageNamesValueAndTask()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TaskSummary>(Set("status", "\"paused\"")));

        Assert.Contains("'paused'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'bg_0'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_TimeNotNumber_MessageNamesField()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TaskSummary>(Set("created_at_ms", "\"soon\"")));

        Assert.Contains("\"created_at_ms\"", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>The minimal summary JSON without <paramref name="property"/>.</summary>
    private static string Without(string property) => Edit(o => o.Remove(property));

    /// <summary>The minimal summary JSON with <paramref name="property"/> set to raw JSON <paramref name="value"/>.</summary>
    private static string Set(string property, string value) =>
        Edit(o => o[property] = System.Text.Json.Nodes.JsonNode.Parse(value));

    private static string Edit(Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(MinimalJson)!.AsObject();
        edit(node);
        return node.ToJsonString();
    }
}
