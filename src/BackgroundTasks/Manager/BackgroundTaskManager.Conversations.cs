using System.Collections.Concurrent;
using BackgroundTasks.Reactive;

namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    // Per-thread owner inboxes; a thread without one uses the manager-wide inbox (if any).
    private readonly ConcurrentDictionary<string, InboxSender> _ownerInboxes = new(StringComparer.Ordinal);

    /// <summary>The event logs of the owner threads, created in the constructor from the options.</summary>
    internal OwnerEventLogs EventLogs => _eventLogs;

    /// <summary>Binds the inbox that receives the events of tasks spawned from now on for one owner thread.</summary>
    /// <param name="ownerThreadId">The owner thread (one conversation).</param>
    /// <param name="inbox">The thread's owner inbox; it replaces the previous one and takes precedence over the manager-wide one.</param>
    /// <remarks>Tasks already spawned keep the inbox they were bound to, so a reconnecting client can bind a new inbox at any time.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="ownerThreadId"/> or <paramref name="inbox"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty.</exception>
    public void SetOwnerInbox(string ownerThreadId, InboxSender inbox)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerThreadId);
        ArgumentNullException.ThrowIfNull(inbox);
        _ownerInboxes[ownerThreadId] = inbox;
    }

    /// <summary>Unbinds a thread's owner inbox: tasks spawned from now on for it use the manager-wide inbox, if any.</summary>
    /// <param name="ownerThreadId">The owner thread.</param>
    /// <returns>Whether the thread had an inbox of its own.</returns>
    /// <remarks>Tasks already spawned keep the inbox they were bound to.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="ownerThreadId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty.</exception>
    public bool RemoveOwnerInbox(string ownerThreadId)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerThreadId);
        return _ownerInboxes.TryRemove(ownerThreadId, out _);
    }

    /// <summary>One owner thread's events, numbered by <see cref="TaskEvent.Sequence"/>; resumable after a reconnect.</summary>
    /// <param name="ownerThreadId">The owner thread.</param>
    /// <param name="afterSequence">
    /// Null: live events only. A number (the last <see cref="TaskEvent.Sequence"/> the client saw, 0 for the start):
    /// first the retained events of the thread with a greater sequence, in order, then live ones, with no gap and no
    /// duplicate.
    /// </param>
    /// <returns>A stream per subscriber; it completes when the manager is disposed.</returns>
    /// <remarks>
    /// <para>
    /// The manager keeps the last <see cref="BackgroundTaskManagerOptions.EventReplayCapacityPerOwner"/> events of each
    /// thread, and none for a thread whose records are all gone from the store. If any event after
    /// <paramref name="afterSequence"/> is no longer retained (or the number is beyond the thread's last one, as after a
    /// restart), the stream fails at once with <see cref="EventsExpiredException"/>.
    /// </para>
    /// <para>
    /// May be called before a store is bound. Observers run on the thread that published the event, one at a time and
    /// outside every lock; one that throws is reported (as a delivery fault) and the others still get every event. A
    /// slow observer should add <c>ObserveOn</c>.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="ownerThreadId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterSequence"/> is negative.</exception>
    public IObservable<TaskEvent> ObserveEvents(string ownerThreadId, long? afterSequence = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerThreadId);
        if (afterSequence < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(afterSequence), afterSequence, Messages.NegativeAfterSequence(afterSequence.Value));
        }

        return new DelegateObservable<TaskEvent, (OwnerEventLogs Logs, string Owner, long? After)>(
            (_eventLogs, ownerThreadId, afterSequence),
            static (state, observer) => state.Logs.Subscribe(state.Owner, state.After, observer));
    }

    /// <summary>The inbox a task spawned now for <paramref name="ownerThreadId"/> is bound to.</summary>
    private InboxSender? OwnerInboxFor(string ownerThreadId) =>
        _ownerInboxes.TryGetValue(ownerThreadId, out var inbox) ? inbox : Volatile.Read(ref _ownerInbox);
}
