using System.Collections;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace BackgroundTasks.AI;

/// <summary>Reads a model's untrusted arguments: each getter checks presence, type and size before anything is built.</summary>
/// <remarks>
/// A value is a <see cref="JsonElement"/> when it came from a model's JSON, or a plain CLR value when a caller built the
/// arguments by hand; both are accepted. A JSON null counts as absent.
/// </remarks>
internal readonly struct ToolArguments(IReadOnlyDictionary<string, object?> arguments)
{
    public string RequiredString(string name, int maxLength) =>
        OptionalString(name, maxLength) ?? throw new ToolArgumentException(Messages.Missing(name));

    public string? OptionalString(string name, int maxLength)
    {
        var text = Find(name) switch
        {
            null => null,
            string value => value,
            JsonElement { ValueKind: JsonValueKind.String } element => Bounded(name, element, maxLength),
            _ => throw new ToolArgumentException(Messages.NotString(name)),
        };
        if (text is null)
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            throw new ToolArgumentException(Messages.TooLong(name, maxLength));
        }

        return string.IsNullOrWhiteSpace(text) ? throw new ToolArgumentException(Messages.Empty(name)) : text;
    }

    public bool OptionalBoolean(string name, bool defaultValue) => Find(name) switch
    {
        null => defaultValue,
        bool value => value,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        _ => throw new ToolArgumentException(Messages.NotBoolean(name)),
    };

    public double? OptionalNumber(string name) => Find(name) switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.Number } element => element.GetDouble(),
        int value => value,
        long value => value,
        double value => value,
        float value => value,
        decimal value => (double)value,
        _ => throw new ToolArgumentException(Messages.NotNumber(name)),
    };

    /// <summary>A non-empty array of distinct strings, in the order given; the count is checked before any item is read.</summary>
    public IReadOnlyList<string> RequiredStringArray(string name, int maxCount, int maxItemLength)
    {
        var items = Find(name) switch
        {
            null => throw new ToolArgumentException(Messages.Missing(name)),
            JsonElement { ValueKind: JsonValueKind.Array } element => FromJson(name, element, maxCount, maxItemLength),
            IEnumerable sequence and not string and not IDictionary => FromSequence(name, sequence, maxCount, maxItemLength),
            _ => throw new ToolArgumentException(Messages.NotStringArray(name)),
        };
        return items.Count == 0 ? throw new ToolArgumentException(Messages.Empty(name)) : items;
    }

    private object? Find(string name) =>
        arguments.TryGetValue(name, out var value) && value is not JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }
            ? value
            : null;

    // Checked on the encoded bytes first (a character takes at most 6 of them, as \uXXXX), so a megabyte string is
    // refused without decoding it; one that passes is decoded and checked exactly by the caller.
    private static string Bounded(string name, JsonElement element, int maxLength) =>
        JsonMarshal.GetRawUtf8Value(element).Length > ((long)maxLength * 6) + 2
            ? throw new ToolArgumentException(Messages.TooLong(name, maxLength))
            : element.GetString()!;

    private static List<string> FromJson(string name, JsonElement array, int maxCount, int maxItemLength)
    {
        if (array.GetArrayLength() > maxCount)
        {
            throw new ToolArgumentException(Messages.TooManyIds(name, maxCount));
        }

        var items = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            Add(name, items, item.ValueKind == JsonValueKind.String ? Bounded(name, item, maxItemLength) : null, maxItemLength);
        }

        return items;
    }

    private static List<string> FromSequence(string name, IEnumerable sequence, int maxCount, int maxItemLength)
    {
        var items = new List<string>();
        var count = 0;
        foreach (var item in sequence)
        {
            if (++count > maxCount)
            {
                throw new ToolArgumentException(Messages.TooManyIds(name, maxCount));
            }

            Add(name, items, item switch
            {
                string text => text,
                JsonElement { ValueKind: JsonValueKind.String } element => Bounded(name, element, maxItemLength),
                _ => null,
            }, maxItemLength);
        }

        return items;
    }

    private static void Add(string name, List<string> items, string? item, int maxItemLength)
    {
        if (item is null)
        {
            throw new ToolArgumentException(Messages.NotStringArray(name));
        }

        if (item.Length > maxItemLength)
        {
            throw new ToolArgumentException(Messages.TooLong(name, maxItemLength));
        }

        if (!items.Contains(item, StringComparer.Ordinal))
        {
            items.Add(item);
        }
    }
}
