namespace BackgroundTasks;

/// <summary>The <c>WhenCancelled()</c> task of a token, created once per owner (a task's runtime, or one attempt).</summary>
internal static class CancellationSignal
{
    /// <summary>The task in <paramref name="slot"/>, created on first use: it completes when <paramref name="token"/> is cancelled.</summary>
    public static Task WhenCancelled(ref Task? slot, CancellationToken token)
    {
        if (Volatile.Read(ref slot) is { } existing)
        {
            return existing;
        }

        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref slot, source.Task, null) is { } raced)
        {
            return raced;
        }

        token.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetResult(), source);
        return source.Task;
    }
}
