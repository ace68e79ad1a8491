using System.Buffers;
using System.Text.Json;

namespace BackgroundTasks;

/// <summary>The payload of an <c>agent_message</c> event: <c>{"from": sender, "content": content}</c>.</summary>
internal static class AgentMessage
{
    public const string EventType = "agent_message";

    // A message can be large; a buffer grown for it must not stay pinned to the thread.
    private const int MaxRetainedBufferSize = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The payload as a self-contained <see cref="JsonElement"/>.</summary>
    /// <remarks>
    /// Written by hand with a per-thread writer and buffer rather than through <c>JsonSerializer</c>: this runs
    /// for every message a sub-agent receives, and the serializer's metadata lookups and pooled writer cost
    /// about half of the whole send. The output is the same (the default encoder escapes alike).
    /// </remarks>
    public static JsonElement ToJson(string from, string content)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        try
        {
            writer.WriteStartObject();
            writer.WriteString("from"u8, from);
            writer.WriteString("content"u8, content);
            writer.WriteEndObject();
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
