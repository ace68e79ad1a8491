using System.Text.Encodings.Web;
using System.Text.Json;

namespace BackgroundTasks.Tests.Manager;

/// <summary>
/// A sent message is read by <see cref="AgentMessage.TryParse"/> and written by the event serializer straight from its
/// strings: both must give what the eagerly built payload gave, for any string, under any encoder.
/// </summary>
public sealed class DeferredAgentMessageJsonTests
{
    public static TheoryData<string> Contents =>
    [
        "hello",
        "",
        "quote \" backslash \\ slash / tab \t newline \n nul \0",
        "<script>&'</script>",
        "é ü 日本語 😀",
        "lone high \uD800 in the middle",
        "lone low \uDC00",
        "two highs \uD800\uD800 then a pair \uD83D\uDE00",
        "reversed \uDC00\uD800",
        "ends with a high \uD83D",
    ];

    private static readonly JsonSerializerOptions s_relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static TaskEvent.Custom Deferred(string content) => new("bg_1", new AgentMessagePayload("lead " + content, content));

    private static TaskEvent.Custom Eager(string content) =>
        new("bg_1", AgentMessage.EventType, AgentMessage.ToJson("lead " + content, content));

    [Theory]
    [MemberData(nameof(Contents))]
    public void TryParse_ReadsTheStringsTheEagerPayloadHeld(string content)
    {
        Assert.True(AgentMessage.TryParse(Eager(content), out var eager));

        Assert.True(AgentMessage.TryParse(Deferred(content), out var deferred));

        Assert.Equal(eager, deferred);
    }

    [Theory]
    [MemberData(nameof(Contents))]
    public void Payload_IsTheEagerPayloadsJson(string content) =>
        Assert.Equal(Eager(content).Payload.GetRawText(), Deferred(content).Payload.GetRawText());

    [Theory]
    [MemberData(nameof(Contents))]
    public void Serialize_WritesTheEagerEventsJsonWithoutBuildingThePayload(string content)
    {
        var message = Deferred(content) with { Sequence = 7 };

        Assert.Equal(JsonSerializer.Serialize<TaskEvent>(Eager(content) with { Sequence = 7 }), JsonSerializer.Serialize<TaskEvent>(message));
        Assert.Equal(JsonSerializer.Serialize(Eager(content), s_relaxed), JsonSerializer.Serialize(message with { Sequence = 0 }, s_relaxed));
        Assert.False(message.DeferredAgentMessage!.IsBuilt);
    }

    [Fact]
    public void Serialize_ThenDeserialize_GivesAnEagerAgentMessage()
    {
        var json = JsonSerializer.Serialize<TaskEvent>(Deferred("hi"));

        var read = Assert.IsType<TaskEvent.Custom>(JsonSerializer.Deserialize<TaskEvent>(json));

        Assert.Equal("""{"kind":"custom","task_id":"bg_1","event_type":"agent_message","payload":{"from":"lead hi","content":"hi"}}""", json);
        Assert.Null(read.DeferredAgentMessage);
        Assert.True(AgentMessage.TryParse(read, out var parsed));
        Assert.Equal(new AgentMessage("lead hi", "hi"), parsed);
    }

    [Fact]
    public void ReplaceLoneSurrogates_StringWithoutSurrogates_IsReturnedAsIs()
    {
        const string plain = "no surrogates here";

        Assert.Same(plain, AgentMessagePayload.ReplaceLoneSurrogates(plain));
        Assert.Equal("a\uFFFDb\uD83D\uDE00\uFFFD", AgentMessagePayload.ReplaceLoneSurrogates("a\uDC00b\uD83D\uDE00\uD800"));
    }
}
