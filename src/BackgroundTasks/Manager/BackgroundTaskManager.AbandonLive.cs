namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>The manager's clock, for a host that measures its own shutdown on the same time line.</summary>
    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>
    /// Abandons every live task now, as <see cref="DisposeAsync"/> does once its grace has passed: for a host whose
    /// shutdown timeout ran out first, so that the abandoned records are written before it closes the store.
    /// </summary>
    /// <param name="waited">How long the tasks have had since cancellation was signalled, for the records' error.</param>
    /// <returns>A task that completes when every one of them has its terminal record.</returns>
    /// <remarks>
    /// A task whose run loop is in its own bookkeeping cannot be abandoned; it was cancelled, so the loop ends it
    /// itself at once, and this waits for that as <see cref="DisposeAsync"/> does.
    /// </remarks>
    internal async Task AbandonLiveAsync(TimeSpan waited)
    {
        var runtimes = _live.ToArray();
        foreach (var runtime in runtimes)
        {
            Signal(runtime);
            await AbandonAsync(runtime, waited).ConfigureAwait(false);
        }

        foreach (var runtime in runtimes)
        {
            await runtime.Terminal.ConfigureAwait(false);
        }
    }
}
