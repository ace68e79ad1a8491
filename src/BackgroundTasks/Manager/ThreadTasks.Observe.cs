namespace BackgroundTasks;

public sealed partial class ThreadTasks
{
    /// <summary>This thread's events, numbered by <see cref="TaskEvent.Sequence"/>; resumable after a reconnect.</summary>
    /// <param name="afterSequence">
    /// Null: live events only. A number (the last sequence the client saw, 0 for the start): the retained events after
    /// it, then live ones, with no gap and no duplicate.
    /// </param>
    /// <returns>A stream per subscriber; it completes when the manager is disposed.</returns>
    /// <remarks>As <see cref="BackgroundTaskManager.ObserveEvents(string, long?)"/> for <see cref="OwnerThreadId"/>: it fails with
    /// <see cref="EventsExpiredException"/> when an event after <paramref name="afterSequence"/> is no longer retained.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterSequence"/> is negative.</exception>
    public IObservable<TaskEvent> ObserveEvents(long? afterSequence = null) => _manager.ObserveEvents(OwnerThreadId, afterSequence);
}
