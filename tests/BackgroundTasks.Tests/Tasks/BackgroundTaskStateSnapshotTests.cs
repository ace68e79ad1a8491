using System.Text.Json;
using static BackgroundTasks.Tests.Tasks.TaskSamples;

namespace BackgroundTasks.Tests.Tasks;

public class BackgroundTaskStateSnapshotTests
{
    private static BackgroundTaskStateSnapshot Snapshot(params TaskSummary[] tasks) =>
        new(tasks.ToDictionary(t => t.TaskId));

    [Fact]
    public void ToJson_Empty_WritesEmptyTasksObject() =>
        Assert.Equal("""{"tasks":{}}""", BackgroundTaskStateSnapshot.Empty.ToJson());

    [Fact]
    public void ToJson_Tasks_WritesEachUnderItsId() =>
        Assert.Equal(
            $$$"""{"tasks":{"bg_0":{{{MinimalJson}}},"bg_3":{{{FullJson}}}}}""",
            Snapshot(Minimal(), Full()).ToJson());

    [Fact]
    public void FromJson_WhatToJsonWrote_RoundTripsEveryTask()
    {
        BackgroundTaskStateSnapshot original = Snapshot(
            Minimal(),
            Full(),
            Minimal("bg_7") with { Status = BackgroundTaskStatus.Cancelled, CompletedAt = Completed, Name = "n" });

        BackgroundTaskStateSnapshot back = BackgroundTaskStateSnapshot.FromJson(original.ToJson());

        Assert.Equal(["bg_0", "bg_3", "bg_7"], back.Tasks.Keys);
        foreach ((string id, TaskSummary summary) in original.Tasks)
        {
            AssertSameSummary(summary, back.Tasks[id]);
        }
    }

    [Fact]
    public void FromJson_EmptyTasks_ReturnsEmptySnapshot() =>
        Assert.Empty(BackgroundTaskStateSnapshot.FromJson("""{"tasks":{}}""").Tasks);

    [Fact]
    public void FromJson_UnknownTopLevelProperty_Ignored() =>
        Assert.Single(BackgroundTaskStateSnapshot.FromJson($$$"""{"version":2,"tasks":{"bg_0":{{{MinimalJson}}}}}""").Tasks);

    [Fact]
    public void FromJson_Result_TasksAreReadOnly() =>
        Assert.False(BackgroundTaskStateSnapshot.FromJson("""{"tasks":{}}""").Tasks is IDictionary<string, TaskSummary> { IsReadOnly: false });

    [Fact]
    public void JsonSerializer_Snapshot_AgreesWithToJsonAndFromJson()
    {
        BackgroundTaskStateSnapshot snapshot = Snapshot(Minimal());
        string json = JsonSerializer.Serialize(snapshot);

        Assert.Equal(snapshot.ToJson(), json);
        Assert.Equal(Minimal(), JsonSerializer.Deserialize<BackgroundTaskStateSnapshot>(json)!.Tasks["bg_0"]);
    }

    [Fact]
    public void FromJson_Null_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => BackgroundTaskStateSnapshot.FromJson(null!));

        Assert.Equal("json", ex.ParamName);
    }

    [Fact]
    public void Constructor_NullTasks_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new BackgroundTaskStateSnapshot(null!));

        Assert.Equal("Tasks", ex.ParamName);
    }

    [Fact]
    public void FromJson_LiteralNull_ThrowsNamingNull()
    {
        var ex = Assert.Throws<JsonException>(() => BackgroundTaskStateSnapshot.FromJson("null"));

        Assert.Equal(Messages.SnapshotIsNull, ex.Message);
        Assert.Contains("null", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"tasks":{}""")]
    [InlineData("tasks")]
    [InlineData("""{"tasks":{}} trailing""")]
    public void FromJson_MalformedJson_ThrowsSayingNotValidJson(string json)
    {
        var ex = Assert.Throws<JsonException>(() => BackgroundTaskStateSnapshot.FromJson(json));

        Assert.StartsWith("The snapshot is not valid JSON: ", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    public static TheoryData<string, string> BadSnapshots => new()
    {
        { "[]", Messages.SnapshotNotObject(JsonValueKind.Array) },
        { "42", Messages.SnapshotNotObject(JsonValueKind.Number) },
        { "{}", Messages.MissingProperty("tasks", "the snapshot") },
        { """{"Tasks":{}}""", Messages.MissingProperty("tasks", "the snapshot") },
        { """{"tasks":null}""", Messages.WrongKind("tasks", "the snapshot", "an object keyed by task id", JsonValueKind.Null) },
        { """{"tasks":[]}""", Messages.WrongKind("tasks", "the snapshot", "an object keyed by task id", JsonValueKind.Array) },
        { """{"tasks":{"bg_0":null}}""", Messages.RecordNotObject("task 'bg_0'", JsonValueKind.Null) },
        { """{"tasks":{"bg_0":{"task_id":"bg_0"}}}""", Messages.MissingProperty("owner_thread_id", "task 'bg_0'") },
        { """{"tasks":{"bg_4":{"owner_thread_id":"t"}}}""", Messages.MissingProperty("task_id", "task 'bg_4'") },
        { $$$"""{"tasks":{"bg_0":{{{MinimalJson.Replace("running", "paused", StringComparison.Ordinal)}}}}}""", Messages.UnknownStatus("paused", "task 'bg_0'") },
        { $$$"""{"tasks":{"bg_0":{{{MinimalJson.Replace("\"created_at_ms\":0", "\"created_at_ms\":\"0\"", StringComparison.Ordinal)}}}}}""", Messages.TimeNotNumber("created_at_ms", "task 'bg_0'", JsonValueKind.String) },
        { $$$"""{"tasks":{"bg_9":{{{MinimalJson}}}}}""", Messages.SnapshotKeyMismatch("bg_9", "bg_0") },
        { $$$"""{"tasks":{"bg_0":{{{MinimalJson}}},"bg_0":{{{MinimalJson}}}}}""", Messages.SnapshotDuplicateTask("bg_0") },
    };

    [Theory]
    [MemberData(nameof(BadSnapshots))]
    public void FromJson_InvalidSnapshot_ThrowsJsonExceptionNamingProblem(string json, string expectedMessage)
    {
        var ex = Assert.Throws<JsonException>(() => BackgroundTaskStateSnapshot.FromJson(json));

        Assert.Equal(expectedMessage, ex.Message);
    }

    [Fact]
    public void FromJson_UnknownStatus_MessageNamesValueAndTask()
    {
        string json = $$$"""{"tasks":{"bg_0":{{{MinimalJson.Replace("running", "zombie", StringComparison.Ordinal)}}}}}""";

        var ex = Assert.Throws<JsonException>(() => BackgroundTaskStateSnapshot.FromJson(json));

        Assert.Contains("'zombie'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'bg_0'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_MissingRequiredField_MessageNamesFieldAndTask()
    {
        var ex = Assert.Throws<JsonException>(() => BackgroundTaskStateSnapshot.FromJson("""{"tasks":{"bg_5":{"task_id":"bg_5"}}}"""));

        Assert.Contains("\"owner_thread_id\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'bg_5'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_TimeNotNumber_MessageNamesField()
    {
        string record = MinimalJson[..^1] + ""","completed_at_ms":"later"}""";
        string json = $$$"""{"tasks":{"bg_0":{{{record}}}}}""";

        var ex = Assert.Throws<JsonException>(() => BackgroundTaskStateSnapshot.FromJson(json));

        Assert.Contains("\"completed_at_ms\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_KeyDisagreesWithTaskId_MessageNamesBoth()
    {
        var ex = Assert.Throws<JsonException>(() => BackgroundTaskStateSnapshot.FromJson($$$"""{"tasks":{"bg_9":{{{MinimalJson}}}}}"""));

        Assert.Contains("'bg_9'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'bg_0'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_KeyDisagreesWithTaskId_ThrowsInvalidOperation()
    {
        var snapshot = new BackgroundTaskStateSnapshot(new Dictionary<string, TaskSummary> { ["bg_9"] = Minimal() });

        var ex = Assert.Throws<InvalidOperationException>(snapshot.ToJson);

        Assert.Equal(Messages.SnapshotKeyMismatch("bg_9", "bg_0"), ex.Message);
    }

    [Fact]
    public void ToJson_NullRecord_ThrowsInvalidOperation()
    {
        var snapshot = new BackgroundTaskStateSnapshot(new Dictionary<string, TaskSummary> { ["bg_0"] = null! });

        var ex = Assert.Throws<InvalidOperationException>(snapshot.ToJson);

        Assert.Equal(Messages.SnapshotEntryNull("bg_0"), ex.Message);
    }
}
