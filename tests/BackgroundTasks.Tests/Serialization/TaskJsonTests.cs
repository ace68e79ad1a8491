using System.Text;
using System.Text.Json;
using BackgroundTasks.Serialization;
using BackgroundTasks.Tests.Tasks;

namespace BackgroundTasks.Tests.Serialization;

public class TaskJsonTests
{
    [Fact]
    public void Serialize_Summary_MatchesJsonSerializer()
    {
        TaskSummary summary = TaskSamples.Full();

        Assert.Equal(JsonSerializer.Serialize(summary), TaskJson.Serialize(summary));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(summary), TaskJson.SerializeToUtf8Bytes(summary));
    }

    [Fact]
    public void DeserializeSummary_String_RoundTrips() =>
        TaskSamples.AssertSameSummary(TaskSamples.Full(), TaskJson.DeserializeSummary(TaskJson.Serialize(TaskSamples.Full())));

    [Fact]
    public void DeserializeSummary_Utf8_RoundTrips() =>
        TaskSamples.AssertSameSummary(TaskSamples.Full(), TaskJson.DeserializeSummary(TaskJson.SerializeToUtf8Bytes(TaskSamples.Full())));

    [Fact]
    public void DeserializeSummary_LiteralNull_ThrowsNamingNull()
    {
        var ex = Assert.Throws<JsonException>(() => TaskJson.DeserializeSummary("null"));

        Assert.Equal(Messages.LiteralNull("task record"), ex.Message);
    }

    [Fact]
    public void DeserializeSummary_Utf8LiteralNull_ThrowsNamingNull()
    {
        var ex = Assert.Throws<JsonException>(() => TaskJson.DeserializeSummary(Encoding.UTF8.GetBytes("null")));

        Assert.Equal(Messages.LiteralNull("task record"), ex.Message);
    }

    [Fact]
    public void DeserializeSummary_Malformed_ThrowsSayingNotValidJson()
    {
        var ex = Assert.Throws<JsonException>(() => TaskJson.DeserializeSummary("{\"task_id\":"));

        Assert.StartsWith("The task record is not valid JSON: ", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public void DeserializeSummary_MissingField_ThrowsNamingFieldAndTask()
    {
        var ex = Assert.Throws<JsonException>(() => TaskJson.DeserializeSummary("""{"task_id":"bg_1"}"""));

        Assert.Equal(Messages.MissingProperty("owner_thread_id", "task 'bg_1'"), ex.Message);
    }

    [Fact]
    public void SerializeEvent_Custom_RoundTrips()
    {
        var custom = new TaskEvent.Custom("bg_1", "agent_message", TaskSamples.Json("""{"from":"a","content":"hi"}"""));

        string json = TaskJson.Serialize(custom);
        var back = Assert.IsType<TaskEvent.Custom>(TaskJson.DeserializeEvent(json));

        Assert.Equal("""{"kind":"custom","task_id":"bg_1","event_type":"agent_message","payload":{"from":"a","content":"hi"}}""", json);
        Assert.Equal(custom.EventType, back.EventType);
        TaskSamples.AssertSameJson(custom.Payload, back.Payload);
    }

    [Fact]
    public void DeserializeEvent_LiteralNull_ThrowsNamingNull()
    {
        var ex = Assert.Throws<JsonException>(() => TaskJson.DeserializeEvent("null"));

        Assert.Equal(Messages.LiteralNull("task event"), ex.Message);
    }
}
