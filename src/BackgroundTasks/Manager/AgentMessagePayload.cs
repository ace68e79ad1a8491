using System.Runtime.CompilerServices;
using System.Text.Json;

namespace BackgroundTasks;

/// <summary>
/// The payload of an <c>agent_message</c> event that <see cref="BackgroundTaskManager.SendTaskInboxMessageAsync"/>
/// built: the sender and the content as strings, with the <see cref="JsonElement"/> built only when
/// <see cref="TaskEvent.Custom.Payload"/> is first read.
/// </summary>
/// <remarks>
/// Building the element (write the JSON, parse it into a document of its own) cost about three quarters of a send,
/// while most consumers only want the two strings (<see cref="AgentMessage.TryParse"/>) or the JSON text (the event
/// serializer), which are read from here without a document. One instance is shared by every copy of its event
/// (<c>with</c> copies the reference), so all of them return the same element, and so do racing first reads.
/// </remarks>
internal sealed class AgentMessagePayload
{
    // A JsonElement is two fields: it is published through this reference so a racing reader sees all of it or none.
    private StrongBox<JsonElement>? _element;

    public AgentMessagePayload(string from, string content)
    {
        From = ReplaceLoneSurrogates(from);
        Content = ReplaceLoneSurrogates(content);
    }

    /// <summary>Who sent the message.</summary>
    public string From { get; }

    /// <summary>The message text.</summary>
    public string Content { get; }

    /// <summary>Whether <see cref="Element"/> has been built (for tests and diagnostics).</summary>
    public bool IsBuilt => Volatile.Read(ref _element) is not null;

    /// <summary><c>{"from": From, "content": Content}</c>, built on the first read; every read returns the same element.</summary>
    public JsonElement Element => (Volatile.Read(ref _element) ?? Build()).Value;

    /// <summary>Writes the payload as <see cref="Element"/> would write itself, without building it.</summary>
    public void WriteTo(Utf8JsonWriter writer) => AgentMessage.WritePayload(writer, From, Content);

    /// <summary>The string as it reads back from the JSON a writer makes of it: each lone surrogate becomes U+FFFD.</summary>
    /// <remarks>
    /// The UTF-8 writer replaces what UTF-16 cannot encode, so an eagerly built payload never held a lone surrogate;
    /// the strings kept here must read back the same, whether through <see cref="AgentMessage.TryParse"/> or the element.
    /// </remarks>
    internal static string ReplaceLoneSurrogates(string value)
    {
        var first = value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0)
        {
            return value;
        }

        var chars = value.ToCharArray();
        for (var i = first; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    private StrongBox<JsonElement> Build()
    {
        var built = new StrongBox<JsonElement>(AgentMessage.ToJson(From, Content));

        // The first to publish wins; a loser's element is dropped, so racing readers all get the winner's.
        return Interlocked.CompareExchange(ref _element, built, null) ?? built;
    }
}
