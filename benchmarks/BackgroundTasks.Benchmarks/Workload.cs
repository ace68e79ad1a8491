using System.Text.Json;

namespace BackgroundTasks.Benchmarks;

/// <summary>The work every contender does, so the only difference between them is the machinery around it.</summary>
internal static class Workload
{
    public const string Owner = "owner";
    public const string TaskType = "bench";
    public const string Description = "benchmark task";

    // Serialized once: the body's own cost (System.Text.Json) would otherwise dwarf the machinery measured.
    public static readonly JsonElement Value = JsonSerializer.SerializeToElement(42);

    /// <summary>The trivial body of the issue: yield once, then succeed.</summary>
    public static readonly Func<TaskContext, Task<TaskResult>> Body = static async _ =>
    {
        await Task.Yield();
        return TaskResult.Success(Value);
    };

    /// <summary>A body that waits for its cancellation without throwing.</summary>
    public static readonly Func<TaskContext, Task<TaskResult>> WaitForCancellation = static async context =>
    {
        await context.WhenCancelled().ConfigureAwait(false);
        return TaskResult.Cancelled;
    };

    /// <summary>The same body with no manager: what the floor runs.</summary>
    public static async Task<TaskResult> RawBodyAsync()
    {
        await Task.Yield();
        return TaskResult.Success(Value);
    }

    /// <summary>A fresh manager over a fresh store, so no run inherits the records of the previous one.</summary>
    public static BackgroundTaskManager NewManager() => new(new TaskStateStore());

    /// <summary>Spawns <paramref name="count"/> trivial tasks on one owner thread and awaits every terminal record.</summary>
    public static async Task SpawnAndAwaitAllAsync(BackgroundTaskManager manager, int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await manager.SpawnAsync(Owner, TaskType, null, Description, TaskParentContext.None, Body);
        }

        foreach (var id in ids)
        {
            await manager.WaitAsync(id);
        }
    }

    /// <summary>
    /// Starts <paramref name="count"/> spawns on one owner thread without awaiting each, then awaits them all and
    /// every terminal record: how a caller fans out work, and what lets a durable store commit many spawns at once.
    /// </summary>
    public static async Task SpawnBurstAndAwaitAllAsync(BackgroundTaskManager manager, int count)
    {
        var spawns = new Task<string>[count];
        for (var i = 0; i < count; i++)
        {
            spawns[i] = manager.SpawnAsync(Owner, TaskType, null, Description, TaskParentContext.None, Body);
        }

        foreach (var id in await Task.WhenAll(spawns))
        {
            await manager.WaitAsync(id);
        }
    }
}
