using BackgroundTasks.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;

namespace BackgroundTasks.Orleans;

/// <summary>Reaching thread grains from a cluster client, or from a grain's <see cref="IGrainFactory"/>.</summary>
public static class BackgroundTasksClientExtensions
{
    /// <summary>The grain of an owner thread. Cheap: no call is made.</summary>
    /// <param name="grains">A cluster client or a grain factory.</param>
    /// <param name="ownerThreadId">The owner thread id.</param>
    /// <returns>A reference to the thread's grain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> or <paramref name="ownerThreadId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty or white space.</exception>
    public static IBackgroundTaskThreadGrain GetBackgroundTaskThread(this IGrainFactory grains, string ownerThreadId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerThreadId);
        return grains.GetGrain<IBackgroundTaskThreadGrain>(ownerThreadId);
    }

    /// <summary>The thread's records as Adds, then every later change, across silo failures.</summary>
    /// <param name="grains">A cluster client or a grain factory.</param>
    /// <param name="ownerThreadId">The owner thread id.</param>
    /// <returns>A cold stream per subscriber; it never completes by itself, and ends when the subscription is disposed.</returns>
    /// <remarks>
    /// The stream resumes where it was when the grain's silo dies or the grain deactivates: from its cursor in the
    /// same activation, or from a snapshot of the new one reconciled with what the subscriber was shown, so each
    /// record's latest state arrives once, with no gap and no duplicate. Changes that happened while the connection
    /// was down arrive merged (a record that changed twice is one Update). Observers are called one at a time, on the
    /// thread pool. An error other than a lost silo or connection ends the stream with that error.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> or <paramref name="ownerThreadId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty or white space.</exception>
    public static IObservable<IChangeSet<TaskSummary, string>> ConnectThread(this IGrainFactory grains, string ownerThreadId) =>
        ThreadConnection.Observe(grains.GetBackgroundTaskThread(ownerThreadId), TimeProvider.System);

    /// <summary>The thread's events (custom and terminal, each with its per-thread <see cref="TaskEvent.Sequence"/>), across silo failures.</summary>
    /// <param name="grains">A cluster client or a grain factory.</param>
    /// <param name="ownerThreadId">The owner thread id.</param>
    /// <param name="afterSequence">
    /// Null: live events only. A number (the last sequence the caller saw, 0 for the start): first the retained events
    /// after it, then live ones, with no gap and no duplicate.
    /// </param>
    /// <returns>A cold stream per subscriber; it never completes by itself.</returns>
    /// <remarks>
    /// Within one activation of the thread's grain the stream resumes after the last sequence it delivered when its
    /// connection breaks. Events are not durable and sequences are numbered per activation: after the grain moves (its
    /// silo died or it deactivated), the stream continues with every retained event of the new activation, whose
    /// sequences start again at 1; what the lost activation published after the last delivered event is gone with it.
    /// A live-only stream whose connection breaks before its first event resumes live. If the events after the resume
    /// point are no longer retained, the stream fails with <see cref="EventsExpiredException"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> or <paramref name="ownerThreadId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterSequence"/> is negative.</exception>
    public static IObservable<TaskEvent> ObserveThreadEvents(this IGrainFactory grains, string ownerThreadId, long? afterSequence = null)
    {
        var grain = grains.GetBackgroundTaskThread(ownerThreadId);
        if (afterSequence is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(afterSequence), afterSequence, OrleansMessages.NegativeAfterSequence(afterSequence.Value));
        }

        return ThreadEventConnection.Observe(grain, afterSequence, TimeProvider.System);
    }

    /// <summary>Waits for a task of the thread to end, however long it runs: no grain-call timeout applies.</summary>
    /// <param name="grains">A cluster client or a grain factory.</param>
    /// <param name="ownerThreadId">The owner thread id.</param>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The task's terminal record.</returns>
    /// <remarks>
    /// The wait is a loop of bounded long-polls (each well inside Orleans' response timeout), retried when a silo is
    /// lost, so a task that runs for ten minutes, or whose silo dies (it then ends as an orphan), is waited for.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty or white space.</exception>
    /// <exception cref="KeyNotFoundException">The thread has no such task.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public static async Task<TaskSummary> WaitAsync(this IGrainFactory grains, string ownerThreadId, string taskId,
        CancellationToken cancellationToken = default)
    {
        var grain = grains.GetBackgroundTaskThread(ownerThreadId);
        ArgumentNullException.ThrowIfNull(taskId);
        var poll = PollFor(grains);
        var retry = default(ReconnectDelay);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await grain.PollTerminalAsync(taskId, poll).WaitAsync(cancellationToken).ConfigureAwait(false) is { } terminal)
                {
                    return terminal;
                }

                retry.Reset();
            }
            catch (Exception exception) when (ThreadConnection.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                await retry.WaitAsync(TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One poll's length: half the caller's response timeout (a cluster client's, when it is one), at most
    /// <see cref="BackgroundTaskThreadGrain.MaxPoll"/>, so a poll always answers before Orleans would give up on it.
    /// </summary>
    private static TimeSpan PollFor(IGrainFactory grains)
    {
        var responseTimeout = (grains as IClusterClient)?.ServiceProvider.GetService<IOptions<ClientMessagingOptions>>()?.Value.ResponseTimeout;
        return responseTimeout is { } timeout && timeout / 2 < BackgroundTaskThreadGrain.MaxPoll ? timeout / 2 : BackgroundTaskThreadGrain.MaxPoll;
    }
}
