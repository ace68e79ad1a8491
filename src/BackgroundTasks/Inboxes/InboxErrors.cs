using System.Globalization;

namespace BackgroundTasks;

/// <summary>The inbox error messages, kept in one place so tests can assert them.</summary>
internal static class InboxErrors
{
    internal static string BoundedCapacityOutOfRange(int boundedCapacity) =>
        string.Format(
            CultureInfo.InvariantCulture,
            "The bounded capacity must be positive or DataflowBlockOptions.Unbounded (-1), but was {0}.",
            boundedCapacity);
}
