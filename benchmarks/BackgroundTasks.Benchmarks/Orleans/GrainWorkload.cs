using BackgroundTasks.Orleans;
using Orleans;

namespace BackgroundTasks.Benchmarks.Orleans;

/// <summary>
/// <see cref="Workload"/>'s spawn → terminal through a thread grain, as a client of the cluster does it: each spawn is a
/// grain call (<see cref="IBackgroundTaskThreadGrain.SpawnAsync"/>, the registered trivial body), and each terminal
/// record is awaited with the client's <see cref="BackgroundTasksClientExtensions.WaitAsync"/> (one long-poll grain
/// call that answers at once when the task already ended): what a caller awaiting its own tasks uses.
/// </summary>
internal static class GrainWorkload
{
    /// <summary>Spawns <paramref name="count"/> tasks on the thread, each spawn awaited, then awaits every terminal record.</summary>
    public static async Task SpawnAndAwaitAllAsync(IGrainFactory grains, string thread, int count)
    {
        var grain = grains.GetBackgroundTaskThread(thread);
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await grain.SpawnAsync(Workload.TaskType, null, Workload.Description, TaskParentContext.None, default);
        }

        foreach (var id in ids)
        {
            await grains.WaitAsync(thread, id);
        }
    }

    /// <summary>Starts <paramref name="count"/> spawns on the thread without awaiting each, then awaits them and every terminal record.</summary>
    public static async Task SpawnBurstAndAwaitAllAsync(IGrainFactory grains, string thread, int count)
    {
        var grain = grains.GetBackgroundTaskThread(thread);
        var spawns = new Task<string>[count];
        for (var i = 0; i < count; i++)
        {
            spawns[i] = grain.SpawnAsync(Workload.TaskType, null, Workload.Description, TaskParentContext.None, default);
        }

        foreach (var id in await Task.WhenAll(spawns))
        {
            await grains.WaitAsync(thread, id);
        }
    }
}
