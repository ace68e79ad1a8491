using Microsoft.Extensions.Logging;

namespace BackgroundTasks.Orleans;

/// <summary>Ends the manager and store of an activation that Orleans tore down without grace, off the grain's scheduler.</summary>
internal static class AbandonedActivation
{
    /// <summary>
    /// Cancels the bodies and closes the store. Its storage is fenced first, so the terminal records this produces are
    /// refused: the store reports them unsaved, which is the point (they stay live in storage, for the next
    /// activation to orphan).
    /// </summary>
    public static async Task EndAsync(BackgroundTaskManager manager, TaskStateStore store, ILogger logger, string ownerThreadId)
    {
        await Task.Yield();
        await manager.DisposeAsync().ConfigureAwait(false);
        try
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }
        catch (TaskStatePersistenceException exception)
        {
            OrleansLog.Abandoned(logger, ownerThreadId, exception);
        }
    }
}
