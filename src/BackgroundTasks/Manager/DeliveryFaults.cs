using System.Diagnostics;

namespace BackgroundTasks;

/// <summary>Where exceptions thrown by user callbacks during event delivery go, so they never wedge a task.</summary>
internal static class DeliveryFaults
{
    public static void Report(Exception exception) =>
        Trace.TraceWarning("BackgroundTasks: an inbox or event callback threw: {0}", exception);
}
