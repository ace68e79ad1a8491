using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace BackgroundTasks.Demo;

/// <summary>
/// The "model" of <c>--agent</c>: a scripted lead that answers each call with the tool calls a real model would make
/// for the research scenario, reading the task ids it needs from the results it was sent.
/// </summary>
internal sealed class ScriptedLead : IChatClient
{
    private int _turn;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var sent = messages.ToList();
        string Id(string callId) => ResultOf(sent, callId).GetProperty("task_id").GetString()!;
        var reply = _turn++ switch
        {
            0 => Calls(
                ("c1", "spawn_agent", new() { ["agent"] = "researcher", ["task"] = "agent runtime vendors", ["name"] = "market" }),
                ("c2", "spawn_agent", new() { ["agent"] = "researcher", ["task"] = "agent scheduling research", ["name"] = "papers" })),
            1 => Calls(("c3", "task_wait", new() { ["task_ids"] = new[] { Id("c1"), Id("c2") }, ["mode"] = "any", ["timeout_seconds"] = 20 })),
            2 => Calls(("c4", "send_message", new() { ["to"] = "papers", ["message"] = "only 2024 work, please" })),
            3 => Calls(("c5", "task_cancel", new() { ["task_id"] = Id("c2") })),
            4 => Calls(("c6", "task_wait", new() { ["task_ids"] = new[] { Id("c2") }, ["timeout_seconds"] = 20 })),
            5 => Calls(("c7", "task_list", []), ("c8", "task_status", new() { ["task_id"] = Id("c1") })),
            _ => new ChatMessage(ChatRole.Assistant, "The market survey is done (3 sources); I stopped the papers search, which was not needed."),
        };
        return Task.FromResult(new ChatResponse(reply));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static ChatMessage Calls(params (string CallId, string Name, Dictionary<string, object?> Arguments)[] calls) =>
        new(ChatRole.Assistant, [.. calls.Select(call => (AIContent)new FunctionCallContent(call.CallId, call.Name, call.Arguments))]);

    private static JsonElement ResultOf(IEnumerable<ChatMessage> messages, string callId) =>
        messages.SelectMany(message => message.Contents).OfType<FunctionResultContent>().Single(result => result.CallId == callId).Result is JsonElement result
            ? result
            : throw new InvalidOperationException($"The tool call {callId} has no JSON result.");
}
