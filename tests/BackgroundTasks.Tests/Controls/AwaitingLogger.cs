using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BackgroundTasks.Tests.Controls;

/// <summary>A logger that records entries and lets a test await the first entry of an event, instead of polling.</summary>
internal sealed class AwaitingLogger : ILogger
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _entries = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _awaited = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<(string EventName, int Count, TaskCompletionSource Source)> _counts = [];

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Entries => [.. _entries];

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Named(string eventName) =>
        [.. _entries.Where(entry => entry.Id.Name == eventName)];

    /// <summary>Completes with the message of the first entry of <paramref name="eventName"/>, logged before or after the call.</summary>
    public Task<string> WhenLogged(string eventName) => Source(eventName).Task;

    /// <summary>Completes once <paramref name="eventName"/> has been logged at least <paramref name="count"/> times.</summary>
    public Task WhenLoggedTimes(string eventName, int count)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _counts.Add((eventName, count, source));
        }

        Check();
        return source.Task;
    }

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
            Check();
        }
    }

    private void Check()
    {
        lock (_lock)
        {
            foreach (var (eventName, count, source) in _counts)
            {
                if (Named(eventName).Count >= count)
                {
                    source.TrySetResult();
                }
            }
        }
    }

    private TaskCompletionSource<string> Source(string eventName) =>
        _awaited.GetOrAdd(eventName, static _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
}
