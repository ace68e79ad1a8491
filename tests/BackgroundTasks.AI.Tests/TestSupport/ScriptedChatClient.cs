using Microsoft.Extensions.AI;

namespace BackgroundTasks.AI.Tests.TestSupport;

/// <summary>
/// A stand-in for a model: each call answers with the next scripted turn, given every message the "model" was sent,
/// and records those messages so tests see exactly what reached it.
/// </summary>
internal sealed class ScriptedChatClient(params Func<IReadOnlyList<ChatMessage>, Task<ChatMessage>>[] turns) : NonStreamingChatClient
{
    private int _next;

    /// <summary>The messages of each call, in order.</summary>
    public List<IReadOnlyList<ChatMessage>> Calls { get; } = [];

    /// <summary>A turn that calls functions: (call id, function name, arguments as anonymous objects).</summary>
    public static ChatMessage Call(params (string CallId, string Name, IDictionary<string, object?> Arguments)[] calls) =>
        new(ChatRole.Assistant, [.. calls.Select(call => (AIContent)new FunctionCallContent(call.CallId, call.Name, call.Arguments))]);

    /// <summary>Arguments as a model sends them: JSON values by name.</summary>
    public static IDictionary<string, object?> Args(object arguments) =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(System.Text.Json.JsonSerializer.Serialize(arguments))!;

    /// <summary>A turn that answers with text.</summary>
    public static Func<IReadOnlyList<ChatMessage>, Task<ChatMessage>> Say(string text) =>
        _ => Task.FromResult(new ChatMessage(ChatRole.Assistant, text));

    /// <summary>The result the "model" got for a call, from the messages it was sent.</summary>
    public static System.Text.Json.JsonElement ResultOf(IEnumerable<ChatMessage> messages, string callId) =>
        Assert.IsType<System.Text.Json.JsonElement>(messages.SelectMany(message => message.Contents).OfType<FunctionResultContent>()
            .Single(result => result.CallId == callId).Result);

    /// <summary>The notices among the messages, by message id.</summary>
    public static IEnumerable<ChatMessage> Notices(IEnumerable<ChatMessage> messages) =>
        messages.Where(message => message.AdditionalProperties?.ContainsKey("background_tasks_notice") == true);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var sent = messages.ToList();
        Calls.Add(sent);
        Assert.True(_next < turns.Length, "The model was called more often than scripted.");
        return new ChatResponse(await turns[_next++](sent));
    }
}
