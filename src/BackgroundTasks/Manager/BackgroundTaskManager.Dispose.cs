namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>
    /// Cancels every live task and waits for them: when it returns, every task's terminal record is in
    /// the store and <see cref="Events"/> has completed. Later spawns throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    /// <returns>A task that completes when every task has ended.</returns>
    /// <remarks>The store is not disposed: it belongs to whoever created it. Calling this again waits for the first call.</remarks>
    public ValueTask DisposeAsync()
    {
        var disposal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _disposal, disposal, null) is { } first)
        {
            return new ValueTask(first.Task);
        }

        return new ValueTask(DisposeCoreAsync(disposal));
    }

    private async Task DisposeCoreAsync(TaskCompletionSource disposal)
    {
        // A spawn that registered before seeing the mark is in _live by now or abandons itself, so a few
        // rounds drain everything; bodies cannot add more, since their spawns are refused.
        while (!_live.IsEmpty)
        {
            var runtimes = _live.ToArray();
            foreach (var runtime in runtimes)
            {
                runtime.RequestCancellation();
            }

            foreach (var runtime in runtimes)
            {
                await runtime.Terminal.ConfigureAwait(false);
            }
        }

        _eventLogs.Complete();
        _events.OnCompleted();
        disposal.TrySetResult();
    }
}
