using Microsoft.Extensions.AI;

namespace BackgroundTasks.AI.Tests.TestSupport;

/// <summary>An inner client that records what it was sent and answers "ok", or fails while told to.</summary>
internal sealed class RecordingChatClient : NonStreamingChatClient
{
    public List<IReadOnlyList<ChatMessage>> Calls { get; } = [];

    public bool Fail { get; set; }

    /// <summary>When set, each call waits for it before answering.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completed when a call has been received.</summary>
    public TaskCompletionSource Called { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The notices the last call was sent.</summary>
    public IReadOnlyList<ChatMessage> LastNotices => [.. ScriptedChatClient.Notices(Calls[^1])];

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        lock (Calls)
        {
            Calls.Add([.. messages]);
        }

        var called = Called;
        Called = new(TaskCreationOptions.RunContinuationsAsynchronously);
        called.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        return Fail ? throw new InvalidOperationException("model unavailable") : new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"));
    }
}
