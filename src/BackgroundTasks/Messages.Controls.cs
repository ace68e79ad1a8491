namespace BackgroundTasks;

internal static partial class Messages
{
    public static string QueueFull(string ownerThreadId, int maxQueued) =>
        Format("Thread '{0}' already has {1} queued tasks, the most MaxQueuedPerOwner allows; the spawn was refused.", ownerThreadId, maxQueued);

    public const string NoTaskIds = "At least one task id is needed; the collection is empty.";

    public const string NullTaskId = "The collection of task ids holds a null id.";

    public const string NullSpawnRequest = "The spawn block's request function returned null; return a SpawnRequest for every input.";

    public static string UndefinedValue(string option) => Format("The value of {0} is not one of its defined values.", option);
}
