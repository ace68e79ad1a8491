using Microsoft.Extensions.Logging;

namespace BackgroundTasks.Hosting;

/// <summary>The hosted service's log events.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 101, EventName = "StoreOpened", Level = LogLevel.Information,
        Message = "Opened the {StoreKind} task state store with {Count} record(s), {Orphans} of them orphaned by an earlier run.")]
    public static partial void StoreOpened(ILogger logger, string storeKind, int count, int orphans);

    [LoggerMessage(EventId = 102, EventName = "StoppingTasks", Level = LogLevel.Information,
        Message = "Host stopping: cancelling {Count} live task(s) and waiting up to {ShutdownGrace} for them; those still running then are abandoned.")]
    public static partial void StoppingTasks(ILogger logger, int count, TimeSpan shutdownGrace);

    [LoggerMessage(EventId = 103, EventName = "StopTimedOut", Level = LogLevel.Warning,
        Message = "The host's shutdown timeout elapsed before the manager's shutdown grace, with {Count} task(s) still running; they are abandoned now.")]
    public static partial void StopTimedOut(ILogger logger, int count);

    [LoggerMessage(EventId = 104, EventName = "StoreClosed", Level = LogLevel.Debug,
        Message = "Closed the task state store.")]
    public static partial void StoreClosed(ILogger logger);
}
