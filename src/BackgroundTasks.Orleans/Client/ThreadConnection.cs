using System.Reactive.Linq;
using BackgroundTasks.Caching;
using Orleans.Runtime;

namespace BackgroundTasks.Orleans;

/// <summary>
/// The client side of <c>ConnectThread</c>: one response stream from the thread grain at a time, resumed from its
/// cursor whenever it breaks (a silo died, the grain deactivated), until the subscriber disposes.
/// </summary>
/// <remarks>
/// Transport: Orleans response streaming (an <c>IAsyncEnumerable</c> grain method). It needs no stream provider or
/// pub-sub store, batches and long-polls by itself, and ends with the activation, which is exactly when the cursor
/// must be re-resolved. Orleans streams would add a provider and a subscription that outlives activations, and their
/// delivery after a failover depends on the provider's queue, not on the thread's records.
/// </remarks>
internal static class ThreadConnection
{
    public static IObservable<IChangeSet<TaskSummary, string>> Observe(IBackgroundTaskThreadGrain grain, TimeProvider timeProvider) =>
        Observable.Create<IChangeSet<TaskSummary, string>>(async (observer, cancellationToken) =>
        {
            var mirror = new ThreadMirror();
            var cursor = ThreadCursor.None;
            var retry = default(ReconnectDelay);
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await foreach (var batch in grain.ConnectAsync(cursor, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                    {
                        retry.Reset();
                        cursor = batch.Cursor;
                        var changes = mirror.Apply(batch);
                        if (changes.Count > 0)
                        {
                            observer.OnNext(changes);
                        }
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception) when (IsTransient(exception))
                {
                    // The activation is gone or unreachable; the next call finds (or makes) the one that replaced it.
                    await retry.WaitAsync(timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        });

    /// <summary>Failures that a later call can get past: the silo, the connection or the activation was lost.</summary>
    internal static bool IsTransient(Exception exception) =>
        exception is OrleansException or TimeoutException or EnumerationAbortedException;
}
