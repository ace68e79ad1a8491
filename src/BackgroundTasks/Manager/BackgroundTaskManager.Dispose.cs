namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>
    /// Cancels every live task and waits for them, up to <see cref="BackgroundTaskManagerOptions.ShutdownGrace"/>; bodies
    /// still running then are abandoned (as by <see cref="CancelAndWaitAsync"/>). When it returns, every task's terminal
    /// record is in the store and <see cref="Events"/> has completed. Later spawns throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    /// <returns>A task that completes when every task has ended: within about the shutdown grace, however bodies behave.</returns>
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
        var started = _timeProvider.GetTimestamp();

        // A spawn that registered before seeing the mark is in _live by now or abandons itself, so a few
        // rounds drain everything; bodies cannot add more, since their spawns are refused.
        while (!_live.IsEmpty)
        {
            var runtimes = _live.ToArray();
            foreach (var runtime in runtimes)
            {
                runtime.RequestCancellation();
            }

            var ends = new Task[runtimes.Length];
            for (var i = 0; i < runtimes.Length; i++)
            {
                ends[i] = runtimes[i].Terminal;
            }

            var all = Task.WhenAll(ends);
            if (!all.IsCompleted && !IsUnbounded(_shutdownGrace))
            {
                // One grace for the whole shutdown, not one per round.
                var left = _shutdownGrace - _timeProvider.GetElapsedTime(started);
                try
                {
                    await all.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _timeProvider).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    foreach (var runtime in runtimes)
                    {
                        await AbandonAsync(runtime, _shutdownGrace).ConfigureAwait(false);
                    }
                }
            }

            await all.ConfigureAwait(false);
        }

        Volatile.Read(ref _deadlines)?.Dispose();
        _eventLogs.Complete();
        _events.OnCompleted();
        disposal.TrySetResult();
    }
}
