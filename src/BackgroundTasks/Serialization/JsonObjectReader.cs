using System.Diagnostics;
using System.Text.Json;

namespace BackgroundTasks.Serialization;

/// <summary>
/// Reads the properties of one JSON object with checks whose <see cref="JsonException"/> messages name the
/// property and the subject (for example <c>task 'bg_0'</c>) that is wrong.
/// </summary>
/// <remarks>
/// Unknown properties are ignored so that newer writers can add fields. When a property occurs twice, the
/// last occurrence wins (the behaviour of <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>).
/// Values returned as <see cref="JsonElement"/> are cloned, so they outlive the document they were read from.
/// </remarks>
internal readonly struct JsonObjectReader
{
    private readonly JsonElement _element;

    public JsonObjectReader(JsonElement element, string subject)
    {
        Debug.Assert(element.ValueKind == JsonValueKind.Object);
        _element = element;
        Subject = subject;
    }

    /// <summary>The lower-case phrase naming the object in messages.</summary>
    public string Subject { get; }

    /// <summary>A string that must be present and not null; with <paramref name="nonEmpty"/> also not "".</summary>
    public string RequiredString(string property, bool nonEmpty = false)
    {
        if (!_element.TryGetProperty(property, out JsonElement value))
        {
            throw new JsonException(Messages.MissingProperty(property, Subject));
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new JsonException(Messages.WrongKind(property, Subject, "a string", value.ValueKind));
        }

        string text = value.GetString()!;
        if (nonEmpty && text.Length == 0)
        {
            throw new JsonException(Messages.EmptyString(property, Subject));
        }

        return text;
    }

    /// <summary>A string that may be missing or null.</summary>
    public string? OptionalString(string property)
    {
        if (!_element.TryGetProperty(property, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new JsonException(Messages.WrongKind(property, Subject, "a string or null", value.ValueKind));
        }

        return value.GetString();
    }

    /// <summary>Any JSON value (JSON null included) that must be present.</summary>
    public JsonElement RequiredValue(string property)
    {
        if (!_element.TryGetProperty(property, out JsonElement value))
        {
            throw new JsonException(Messages.MissingProperty(property, Subject));
        }

        return value.Clone();
    }

    /// <summary>Any JSON value; a missing property and a JSON null both read as <see langword="null"/>.</summary>
    public JsonElement? OptionalValue(string property) =>
        _element.TryGetProperty(property, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value.Clone()
            : null;

    /// <summary>An object that may be missing or null; <see langword="null"/> then.</summary>
    public JsonObjectReader? OptionalObject(string property, string subject)
    {
        if (!_element.TryGetProperty(property, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException(Messages.WrongKind(property, Subject, "an object or null", value.ValueKind));
        }

        return new JsonObjectReader(value, subject);
    }

    /// <summary>A time written as whole Unix milliseconds that must be present.</summary>
    public DateTimeOffset RequiredUnixMilliseconds(string property)
    {
        if (!_element.TryGetProperty(property, out JsonElement value))
        {
            throw new JsonException(Messages.MissingProperty(property, Subject));
        }

        return ToTime(property, value);
    }

    /// <summary>A time written as whole Unix milliseconds that may be missing or null.</summary>
    public DateTimeOffset? OptionalUnixMilliseconds(string property) =>
        _element.TryGetProperty(property, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? ToTime(property, value)
            : null;

    /// <summary>A whole number in the range of <see cref="int"/> that may be missing or null.</summary>
    public int? OptionalInt32(string property) =>
        OptionalNumber(property, static (JsonElement value, out int number) => value.TryGetInt32(out number), Messages.NotWholeNumber);

    /// <summary>A whole number in the range of <see cref="long"/> that may be missing or null.</summary>
    public long? OptionalInt64(string property) =>
        OptionalNumber(property, static (JsonElement value, out long number) => value.TryGetInt64(out number), Messages.NotWholeNumber);

    /// <summary>A number that may be missing or null.</summary>
    public double? OptionalDouble(string property) =>
        OptionalNumber(property, static (JsonElement value, out double number) => value.TryGetDouble(out number), Messages.NotNumber);

    private T? OptionalNumber<T>(string property, TryGetNumber<T> tryGet, Func<string, string, string, string> notSuch)
        where T : struct
    {
        if (!_element.TryGetProperty(property, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !tryGet(value, out T number))
        {
            throw new JsonException(notSuch(property, Subject, value.GetRawText()));
        }

        return number;
    }

    private DateTimeOffset ToTime(string property, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new JsonException(Messages.TimeNotNumber(property, Subject, value.ValueKind));
        }

        if (!value.TryGetInt64(out long milliseconds))
        {
            throw new JsonException(Messages.TimeNotWholeNumber(property, Subject, value.GetRawText()));
        }

        try
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new JsonException(Messages.TimeOutOfRange(property, Subject, milliseconds), ex);
        }
    }

    private delegate bool TryGetNumber<T>(JsonElement value, out T number);
}
