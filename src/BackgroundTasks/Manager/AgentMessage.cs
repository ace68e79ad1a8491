using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace BackgroundTasks;

/// <summary>
/// A message a sub-agent received from its parent: the parsed payload of an <c>agent_message</c> event,
/// <c>{"from": sender, "content": content}</c>, as <see cref="BackgroundTaskManager.SendTaskInboxMessageAsync"/> sends it.
/// </summary>
/// <param name="From">Who sent the message (the sender agent id).</param>
/// <param name="Content">The message text.</param>
public sealed record AgentMessage(string From, string Content)
{
    /// <summary>The event type of the custom events that carry agent messages: <c>agent_message</c>.</summary>
    public const string EventType = "agent_message";

    // A message can be large; a buffer grown for it must not stay pinned to the thread.
    private const int MaxRetainedBufferSize = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Reads an agent message out of an inbox event.</summary>
    /// <param name="message">An event from a sub-agent's inbox.</param>
    /// <param name="agentMessage">The message, when the event is one.</param>
    /// <returns>
    /// <see langword="true"/> when <paramref name="message"/> is a <see cref="TaskEvent.Custom"/> of type
    /// <c>agent_message</c> whose payload is an object with string <c>from</c> and <c>content</c>; otherwise false
    /// (another event, such as a child's progress, or a malformed payload).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public static bool TryParse(TaskEvent message, [NotNullWhen(true)] out AgentMessage? agentMessage)
    {
        ArgumentNullException.ThrowIfNull(message);
        agentMessage = null;

        // A message the manager sent still holds its two strings: read them without building the payload's document.
        if (message is TaskEvent.Custom { EventType: EventType, DeferredAgentMessage: { } deferred })
        {
            agentMessage = new AgentMessage(deferred.From, deferred.Content);
            return true;
        }

        if (message is not TaskEvent.Custom { EventType: EventType, Payload: { ValueKind: JsonValueKind.Object } payload }
            || !payload.TryGetProperty("from"u8, out var from) || from.ValueKind != JsonValueKind.String
            || !payload.TryGetProperty("content"u8, out var content) || content.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        agentMessage = new AgentMessage(from.GetString()!, content.GetString()!);
        return true;
    }

    /// <summary>Writes the payload, <c>{"from": from, "content": content}</c>: the one place its shape is written.</summary>
    internal static void WritePayload(Utf8JsonWriter writer, string from, string content)
    {
        writer.WriteStartObject();
        writer.WriteString("from"u8, from);
        writer.WriteString("content"u8, content);
        writer.WriteEndObject();
    }

    /// <summary>The payload as a self-contained <see cref="JsonElement"/>.</summary>
    /// <remarks>
    /// Written by hand with a per-thread writer and buffer rather than through <c>JsonSerializer</c>: this runs
    /// on the first read of every sent message's payload, and the serializer's metadata lookups and pooled writer
    /// cost about half of it. The output is the same (the default encoder escapes alike).
    /// </remarks>
    internal static JsonElement ToJson(string from, string content)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        try
        {
            WritePayload(writer, from, content);
            writer.Flush();

            // Parse copies the bytes into a document of its own in one pass (ParseValue would read them twice).
            return JsonElement.Parse(buffer.WrittenSpan);
        }
        finally
        {
            buffer.ResetWrittenCount();
            if (buffer.Capacity > MaxRetainedBufferSize)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }
}
