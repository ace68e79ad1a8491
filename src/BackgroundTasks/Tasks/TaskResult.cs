using System.Text.Json;

namespace BackgroundTasks;

/// <summary>What a task body returns: a success value, a failure message, or cancellation. Immutable.</summary>
public sealed record TaskResult
{
    private TaskResult(BackgroundTaskStatus status, JsonElement? value, string? error)
    {
        Status = status;
        Value = value;
        Error = error;
    }

    /// <summary>The terminal status this result gives its task: Completed, Failed or Cancelled.</summary>
    public BackgroundTaskStatus Status { get; }

    /// <summary>The value of a successful result; <see langword="null"/> otherwise.</summary>
    public JsonElement? Value { get; }

    /// <summary>The error message of a failed result; <see langword="null"/> otherwise.</summary>
    public string? Error { get; }

    /// <summary>A result that cancels its task.</summary>
    public static TaskResult Cancelled { get; } = new(BackgroundTaskStatus.Cancelled, null, null);

    /// <summary>A successful result carrying <paramref name="value"/>.</summary>
    /// <param name="value">The JSON value of the result.</param>
    /// <returns>A Completed result.</returns>
    /// <remarks>
    /// The value is cloned, so the result stays valid after the <see cref="JsonDocument"/> it came from is disposed.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="value"/> is <c>default(JsonElement)</c>, which holds no JSON.</exception>
    public static TaskResult Success(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException(Messages.ResultValueUndefined, nameof(value));
        }

        return new(BackgroundTaskStatus.Completed, value.Clone(), null);
    }

    /// <summary>A successful result carrying <paramref name="value"/> serialized with System.Text.Json.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="value">The value to serialize.</param>
    /// <returns>A Completed result.</returns>
    /// <remarks>
    /// Serialized with default <see cref="JsonSerializerOptions"/>; a null <paramref name="value"/> becomes JSON null.
    /// To use other options, serialize the value yourself and call <see cref="Success(JsonElement)"/>.
    /// </remarks>
    /// <exception cref="NotSupportedException"><paramref name="value"/>'s type cannot be serialized.</exception>
    /// <exception cref="JsonException"><paramref name="value"/> cannot be serialized, for example because it has a cycle.</exception>
    public static TaskResult Success<T>(T value) =>
        new(BackgroundTaskStatus.Completed, JsonSerializer.SerializeToElement(value), null);

    /// <summary>A failed result with the message <paramref name="error"/>.</summary>
    /// <param name="error">What went wrong.</param>
    /// <returns>A Failed result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public static TaskResult Failed(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(BackgroundTaskStatus.Failed, null, error);
    }
}
