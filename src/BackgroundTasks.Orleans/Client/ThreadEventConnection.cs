using System.Reactive.Linq;

namespace BackgroundTasks.Orleans;

/// <summary>
/// The client side of <c>ObserveThreadEvents</c>: one response stream of events at a time, resumed after the last
/// sequence it delivered whenever it breaks, until the subscriber disposes.
/// </summary>
internal static class ThreadEventConnection
{
    public static IObservable<TaskEvent> Observe(IBackgroundTaskThreadGrain grain, long? afterSequence, TimeProvider timeProvider) =>
        Observable.Create<TaskEvent>(async (observer, cancellationToken) =>
        {
            string? epoch = null;
            var after = afterSequence;
            var retry = default(ReconnectDelay);
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await foreach (var item in grain.ObserveEventsAsync(epoch, after, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                    {
                        retry.Reset();
                        if (item.Epoch != epoch)
                        {
                            // A new activation: from here on, sequences are its own, starting before its first event.
                            after = epoch is null ? after : 0;
                            epoch = item.Epoch;
                        }

                        if (item.Event is { } taskEvent)
                        {
                            after = taskEvent.Sequence;
                            observer.OnNext(taskEvent);
                        }
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception) when (ThreadConnection.IsTransient(exception))
                {
                    await retry.WaitAsync(timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        });
}
