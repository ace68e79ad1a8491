namespace BackgroundTasks.Tests.TestSupport;

/// <summary>A spawn and a disposal of its manager started together, for the tests of what an abandonment racing a spawn leaves.</summary>
internal static class SpawnDisposeRace
{
    /// <summary>Starts a spawn (on thread t1, of a body that ignores cancellation) and the manager's disposal, both held until <paramref name="go"/> completes.</summary>
    public static (Task<string> Spawning, Task Disposing) Start(BackgroundTaskManager manager, Task go)
    {
        var spawning = Task.Run(async () =>
        {
            await go;
            return await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, IgnoreCancellation);
        });
        var disposing = Task.Run(async () =>
        {
            await go;
            await manager.DisposeAsync();
        });
        return (spawning, disposing);
    }

    /// <summary>A body that only an abandonment ends.</summary>
    public static async Task<TaskResult> IgnoreCancellation(TaskContext context)
    {
        await Task.Delay(Timeout.Infinite, CancellationToken.None);
        return TaskResult.Success("never");
    }
}
