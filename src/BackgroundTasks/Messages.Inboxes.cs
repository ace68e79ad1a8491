namespace BackgroundTasks;

internal static partial class Messages
{
    public static string BoundedCapacityOutOfRange(int boundedCapacity) =>
        Format("The bounded capacity must be positive or DataflowBlockOptions.Unbounded (-1), but was {0}.", boundedCapacity);
}
