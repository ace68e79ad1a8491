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
    public static TaskResult Success(JsonElement value) => new(BackgroundTaskStatus.Completed, value.Clone(), null);

    /// <summary>A successful result carrying <paramref name="value"/> serialized with System.Text.Json.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="value">The value to serialize.</param>
    /// <returns>A Completed result.</returns>
    /// <exception cref="NotSupportedException"><paramref name="value"/> cannot be serialized.</exception>
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
