using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackgroundTasks;

/// <summary>The payload of an <c>agent_message</c> event: <c>{"from": sender, "content": content}</c>.</summary>
internal sealed record AgentMessage(
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("content")] string Content)
{
    public const string EventType = "agent_message";

    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this);
}
