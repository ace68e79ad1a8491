using BackgroundTasks.Tests.TestSupport;
using static BackgroundTasks.Tests.Store.DurableStoreTests;

namespace BackgroundTasks.Tests.Store;

/// <summary>The setups the store tests share: a task whose end a test releases, and spawns that pile up behind a held save.</summary>
internal static class StoreScenarios
{
    /// <summary>Spawns a task on thread t1 that ends with <paramref name="result"/> once the returned gate is opened.</summary>
    public static async Task<(string TaskId, TaskCompletionSource Gate)> SpawnGatedAsync(BackgroundTaskManager manager, TaskResult result)
    {
        var gate = new TaskCompletionSource();
        var id = await manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, async _ =>
        {
            await gate.Task;
            return result;
        });
        return (id, gate);
    }

    /// <summary>
    /// Spawns one task whose save is held, then <paramref name="count"/> more that queue behind it, so they share
    /// one transaction; then lets the saves go.
    /// </summary>
    public static async Task<(Task<string> First, Task<string>[] Queued)> SpawnBehindAHeldSaveAsync(BackgroundTaskManager manager,
        FakePersistence persistence, int count, Func<int, string>? description = null)
    {
        var gate = new TaskCompletionSource();
        persistence.HoldSaves(gate.Task);
        var first = manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, WaitForCancellation);
        await persistence.FirstSaveStarted.Guarded();
        var queued = Enumerable.Range(0, count)
            .Select(i => manager.SpawnAsync("t1", "x", null, description?.Invoke(i) ?? "d", TaskParentContext.None, WaitForCancellation))
            .ToArray();
        gate.SetResult();
        return (first, queued);
    }
}
