using System.Text.Json;
using Microsoft.Extensions.AI;

namespace BackgroundTasks.Demo;

/// <summary>The conversation of <c>--agent</c> as lines a person reads: who said what, tool calls and their results.</summary>
internal static class AgentTranscript
{
    private const int MaxResultLength = 240;

    public static IEnumerable<string> Lines(IEnumerable<ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            var speaker = message.AuthorName == "background_tasks" ? "notice" : message.Role.Value;
            foreach (var content in message.Contents)
            {
                var text = content switch
                {
                    FunctionCallContent call => $"{call.Name} {JsonSerializer.Serialize(call.Arguments)}",
                    FunctionResultContent result => Shorten(result.Result is JsonElement json ? json.GetRawText() : $"{result.Result}"),
                    TextContent { Text: { Length: > 0 } said } => said,
                    _ => null,
                };
                if (text is null)
                {
                    continue;
                }

                var label = content is FunctionResultContent ? "tool" : speaker;
                foreach (var (line, index) in text.Split('\n').Select((line, index) => (line, index)))
                {
                    yield return $"{(index == 0 ? label : string.Empty),-10} {line}";
                }
            }
        }
    }

    private static string Shorten(string text) => text.Length <= MaxResultLength ? text : string.Concat(text.AsSpan(0, MaxResultLength), "…");
}
