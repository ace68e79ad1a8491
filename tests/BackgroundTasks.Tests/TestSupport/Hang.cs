namespace BackgroundTasks.Tests.TestSupport;

/// <summary>Hang guards: generous timeouts that only fire when something is broken, never used to wait for an outcome.</summary>
internal static class Hang
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    public static Task<T> Guarded<T>(this Task<T> task) => task.WaitAsync(Guard);

    public static Task Guarded(this Task task) => task.WaitAsync(Guard);

    public static Task<T> Guarded<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Guard);
}
