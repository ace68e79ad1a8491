using Microsoft.Extensions.Logging;

namespace BackgroundTasks.HostingShutdownHost;

/// <summary>
/// Writes each log event as one line on stdout, at once: <c>log &lt;Level&gt; &lt;EventName&gt; &lt;message&gt;</c>.
/// The console logger writes from a queue on its own thread, so a line could still be pending when the process
/// exits; the parent must see every line the host wrote.
/// </summary>
internal sealed class LineLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LineLogger();

    public void Dispose()
    {
    }

    private sealed class LineLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (exception is not null)
            {
                message += " | " + exception.GetType().Name + ": " + exception.Message;
            }

            var name = string.IsNullOrEmpty(eventId.Name) ? eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : eventId.Name;
            Console.WriteLine($"log {logLevel} {name} {message.ReplaceLineEndings(" ")}");
        }
    }
}
