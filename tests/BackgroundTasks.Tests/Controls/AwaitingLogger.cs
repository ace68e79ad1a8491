using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BackgroundTasks.Tests.Controls;

/// <summary>A logger that records entries and lets a test await the first entry of an event, instead of polling.</summary>
internal sealed class AwaitingLogger : ILogger
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _entries = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _awaited = new(StringComparer.Ordinal);

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Entries => [.. _entries];

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Named(string eventName) =>
        [.. _entries.Where(entry => entry.Id.Name == eventName)];

    /// <summary>Completes with the message of the first entry of <paramref name="eventName"/>, logged before or after the call.</summary>
    public Task<string> WhenLogged(string eventName) => Source(eventName).Task;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        _entries.Enqueue((eventId, logLevel, message));
        if (eventId.Name is { } name)
        {
            Source(name).TrySetResult(message);
        }
    }

    private TaskCompletionSource<string> Source(string eventName) =>
        _awaited.GetOrAdd(eventName, static _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
}
