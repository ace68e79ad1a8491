using System.Text.Json;
using static BackgroundTasks.Tests.Tasks.TaskSamples;

namespace BackgroundTasks.Tests.Tasks;

public class TaskEventTests
{
    private static readonly TaskEvent s_completed = new TaskEvent.Completed("bg_0", Json("""{"answer":42}"""));
    private static readonly TaskEvent s_failed = new TaskEvent.Failed("bg_0", "boom");
    private static readonly TaskEvent s_cancelled = new TaskEvent.Cancelled("bg_0");
    private static readonly TaskEvent s_custom = new TaskEvent.Custom("bg_0", "progress", Json("""{"done":3,"of":7}"""));

    public static TheoryData<string> EventNames => ["completed", "completed-without-result", "failed", "cancelled", "custom"];

    private static (TaskEvent Event, string Json) Sample(string name) => name switch
    {
        "completed" => (s_completed, """{"kind":"completed","task_id":"bg_0","result":{"answer":42}}"""),
        "completed-without-result" => (new TaskEvent.Completed("bg_0", null), """{"kind":"completed","task_id":"bg_0"}"""),
        "failed" => (s_failed, """{"kind":"failed","task_id":"bg_0","error":"boom"}"""),
        "cancelled" => (s_cancelled, """{"kind":"cancelled","task_id":"bg_0"}"""),
        _ => (s_custom, """{"kind":"custom","task_id":"bg_0","event_type":"progress","payload":{"done":3,"of":7}}"""),
    };

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Serialize_DeclaredAsTaskEvent_WritesKindTaggedSnakeCase(string name)
    {
        (TaskEvent evt, string json) = Sample(name);

        Assert.Equal(json, JsonSerializer.Serialize<TaskEvent>(evt));
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Serialize_DeclaredAsCaseType_WritesSameJsonWithKind(string name)
    {
        (TaskEvent evt, string json) = Sample(name);

        Assert.Equal(json, JsonSerializer.Serialize(evt, evt.GetType()));
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Serialize_DeclaredAsObject_WritesSameJson(string name)
    {
        (TaskEvent evt, string json) = Sample(name);

        Assert.Equal(json, JsonSerializer.Serialize<object>(evt));
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Deserialize_AsTaskEvent_RoundTripsEveryField(string name)
    {
        (TaskEvent expected, string json) = Sample(name);

        TaskEvent actual = JsonSerializer.Deserialize<TaskEvent>(json)!;

        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.TaskId, actual.TaskId);
        Assert.Equal(json, JsonSerializer.Serialize(actual));
        switch (expected, actual)
        {
            case (TaskEvent.Completed e, TaskEvent.Completed a):
                AssertSameJson(e.Result, a.Result);
                break;
            case (TaskEvent.Failed e, TaskEvent.Failed a):
                Assert.Equal(e, a);
                break;
            case (TaskEvent.Cancelled e, TaskEvent.Cancelled a):
                Assert.Equal(e, a);
                break;
            case (TaskEvent.Custom e, TaskEvent.Custom a):
                Assert.Equal(e.EventType, a.EventType);
                AssertSameJson(e.Payload, a.Payload);
                break;
        }
    }

    [Fact]
    public void Deserialize_AsCaseType_ReadsThatCase()
    {
        TaskEvent.Failed failed = JsonSerializer.Deserialize<TaskEvent.Failed>("""{"kind":"failed","task_id":"bg_2","error":"x"}""")!;

        Assert.Equal(new TaskEvent.Failed("bg_2", "x"), failed);
    }

    [Fact]
    public void Deserialize_AsOtherCaseType_ThrowsNamingKindAndType()
    {
        var ex = Assert.Throws<JsonException>(
            () => JsonSerializer.Deserialize<TaskEvent.Completed>("""{"kind":"failed","task_id":"bg_2","error":"x"}"""));

        Assert.Equal(Messages.EventKindMismatch("failed", typeof(TaskEvent.Completed)), ex.Message);
        Assert.Contains("TaskEvent.Completed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_CompletedWithJsonNullResult_OmitsResult() =>
        Assert.Equal(
            """{"kind":"completed","task_id":"bg_0"}""",
            JsonSerializer.Serialize<TaskEvent>(new TaskEvent.Completed("bg_0", Json("null"))));

    [Fact]
    public void Deserialize_CompletedWithNullResult_ReadsNullResult()
    {
        var completed = (TaskEvent.Completed)JsonSerializer.Deserialize<TaskEvent>("""{"kind":"completed","task_id":"bg_0","result":null}""")!;

        Assert.Null(completed.Result);
    }

    [Fact]
    public void Deserialize_CompletedWithScalarResult_ReadsScalar()
    {
        var completed = (TaskEvent.Completed)JsonSerializer.Deserialize<TaskEvent>("""{"kind":"completed","task_id":"bg_0","result":"done"}""")!;

        Assert.Equal("done", completed.Result!.Value.GetString());
    }

    [Fact]
    public void Deserialize_CustomWithNullPayload_ReadsJsonNullPayload()
    {
        var custom = (TaskEvent.Custom)JsonSerializer.Deserialize<TaskEvent>(
            """{"kind":"custom","task_id":"bg_0","event_type":"ping","payload":null}""")!;

        Assert.Equal(JsonValueKind.Null, custom.Payload.ValueKind);
    }

    [Fact]
    public void Serialize_CustomWithDefaultPayload_WritesNullPayload() =>
        Assert.Equal(
            """{"kind":"custom","task_id":"bg_0","event_type":"ping","payload":null}""",
            JsonSerializer.Serialize<TaskEvent>(new TaskEvent.Custom("bg_0", "ping", default)));

    [Fact]
    public void Deserialize_PropertiesInAnyOrderAndUnknownOnes_Reads()
    {
        TaskEvent evt = JsonSerializer.Deserialize<TaskEvent>(
            """{"payload":[1],"extra":true,"event_type":"agent_message","task_id":"bg_5","kind":"custom"}""")!;

        var custom = Assert.IsType<TaskEvent.Custom>(evt);
        Assert.Equal("bg_5", custom.TaskId);
        Assert.Equal("agent_message", custom.EventType);
        Assert.Equal("[1]", custom.Payload.GetRawText());
    }

    [Fact]
    public void Deserialize_NestedInAList_ReadsEach()
    {
        List<TaskEvent> events = JsonSerializer.Deserialize<List<TaskEvent>>(
            """[{"kind":"cancelled","task_id":"bg_0"},{"kind":"failed","task_id":"bg_1","error":"e"}]""")!;

        Assert.Equal([new TaskEvent.Cancelled("bg_0"), new TaskEvent.Failed("bg_1", "e")], events);
    }

    [Fact]
    public void Deserialize_LiteralNull_ReturnsNull() =>
        Assert.Null(JsonSerializer.Deserialize<TaskEvent>("null"));

    [Fact]
    public void Serialize_WithWebOptionsCamelCasePolicy_KeepsSnakeCase()
    {
        Assert.Equal("""{"kind":"failed","task_id":"bg_0","error":"boom"}""", JsonSerializer.Serialize(s_failed, JsonSerializerOptions.Web));
    }

    [Fact]
    public void Serialize_EventTypeWithoutWireFormat_ThrowsNamingType()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Serialize<TaskEvent>(new ForeignEvent("bg_0")));

        Assert.Equal(Messages.UnknownEventType(typeof(ForeignEvent)), ex.Message);
    }

    public static TheoryData<string, string> BadEvents => new()
    {
        { "[]", Messages.EventNotObject(JsonValueKind.Array) },
        { "\"completed\"", Messages.EventNotObject(JsonValueKind.String) },
        { """{"task_id":"bg_0"}""", Messages.MissingProperty("kind", "the task event") },
        { """{"kind":1,"task_id":"bg_0"}""", Messages.WrongKind("kind", "the task event", "a string", JsonValueKind.Number) },
        { """{"kind":"exploded","task_id":"bg_0"}""", Messages.UnknownEventKind("exploded") },
        { """{"kind":"cancelled"}""", Messages.MissingProperty("task_id", "the 'cancelled' task event") },
        { """{"kind":"cancelled","task_id":""}""", Messages.EmptyString("task_id", "the 'cancelled' task event") },
        { """{"kind":"cancelled","task_id":7}""", Messages.WrongKind("task_id", "the 'cancelled' task event", "a string", JsonValueKind.Number) },
        { """{"kind":"failed","task_id":"bg_0"}""", Messages.MissingProperty("error", "the 'failed' event of task 'bg_0'") },
        { """{"kind":"failed","task_id":"bg_0","error":null}""", Messages.WrongKind("error", "the 'failed' event of task 'bg_0'", "a string", JsonValueKind.Null) },
        { """{"kind":"custom","task_id":"bg_0","payload":{}}""", Messages.MissingProperty("event_type", "the 'custom' event of task 'bg_0'") },
        { """{"kind":"custom","task_id":"bg_0","event_type":"p"}""", Messages.MissingProperty("payload", "the 'custom' event of task 'bg_0'") },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public void Deserialize_InvalidEvent_ThrowsJsonExceptionNamingProblem(string json, string expectedMessage)
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TaskEvent>(json));

        Assert.Equal(expectedMessage, ex.Message);
    }

    [Fact]
    public void Deserialize_UnknownKind_MessageNamesTheKind()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TaskEvent>("""{"kind":"exploded","task_id":"bg_0"}"""));

        Assert.Contains("'exploded'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_MissingError_MessageNamesFieldAndTask()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TaskEvent>("""{"kind":"failed","task_id":"bg_9"}"""));

        Assert.Contains("\"error\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'bg_9'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_WithSequence_WritesSeqLast_AndReadsItBack()
    {
        var numbered = new TaskEvent.Failed("bg_0", "boom") { Sequence = 17 };

        var json = JsonSerializer.Serialize<TaskEvent>(numbered);

        Assert.Equal("""{"kind":"failed","task_id":"bg_0","error":"boom","seq":17}""", json);
        Assert.Equal(numbered, JsonSerializer.Deserialize<TaskEvent>(json));
    }

    [Theory]
    [InlineData("""{"kind":"cancelled","task_id":"bg_0"}""")]
    [InlineData("""{"kind":"cancelled","task_id":"bg_0","seq":null}""")]
    [InlineData("""{"kind":"cancelled","task_id":"bg_0","seq":0}""")]
    public void Deserialize_MissingNullOrZeroSeq_GivesSequenceZero(string json) =>
        Assert.Equal(0, JsonSerializer.Deserialize<TaskEvent>(json)!.Sequence);

    [Fact]
    public void Deserialize_SeqNotAWholeNumber_ThrowsNamingIt()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TaskEvent>("""{"kind":"cancelled","task_id":"bg_0","seq":1.5}"""));

        Assert.Contains("\"seq\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("whole number", ex.Message, StringComparison.Ordinal);
    }

    private sealed record ForeignEvent(string TaskId) : TaskEvent(TaskId);
}
