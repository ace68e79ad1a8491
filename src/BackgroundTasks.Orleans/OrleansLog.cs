using Microsoft.Extensions.Logging;

namespace BackgroundTasks.Orleans;

/// <summary>The log messages of the thread grains.</summary>
internal static partial class OrleansLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning,
        Message = "BackgroundTasks: thread '{OwnerThreadId}' was activated on {Silo} with {Count} task(s) left Running or Queued by a lost activation; they are now orphans.")]
    public static partial void Orphaned(ILogger logger, string ownerThreadId, int count, string silo);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information,
        Message = "BackgroundTasks: thread '{OwnerThreadId}' could not unregister its orphan-sweep reminder; the next tick tries again.")]
    public static partial void SweepNotStopped(ILogger logger, string ownerThreadId, Exception exception);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information,
        Message = "BackgroundTasks: thread '{OwnerThreadId}' was stopped without grace; the terminal records of its abandoned bodies were not stored, as intended.")]
    public static partial void Abandoned(ILogger logger, string ownerThreadId, Exception exception);
}
