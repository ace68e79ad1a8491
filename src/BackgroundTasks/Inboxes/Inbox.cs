using System.Threading.Tasks.Dataflow;

namespace BackgroundTasks;

/// <summary>Creates inboxes: a <see cref="BufferBlock{T}"/> of <see cref="TaskEvent"/> behind a sender/receiver pair.</summary>
public static class Inbox
{
    /// <summary>Creates an inbox, unbounded unless a capacity is given.</summary>
    /// <param name="boundedCapacity">
    /// The most messages the inbox buffers, or <see cref="DataflowBlockOptions.Unbounded"/> (the default) for no limit.
    /// </param>
    /// <returns>
    /// A sender and a receiver over one buffer. They share their closed state: <see cref="InboxReceiver.Close"/>
    /// makes <see cref="InboxSender.IsClosed"/> true at once.
    /// </returns>
    /// <remarks>
    /// On a full bounded inbox <see cref="InboxSender.SendAsync"/> waits for room, while
    /// <see cref="InboxSender.Send"/> never blocks nor drops: see its remarks.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="boundedCapacity"/> is neither positive nor <see cref="DataflowBlockOptions.Unbounded"/>.
    /// </exception>
    public static (InboxSender Sender, InboxReceiver Receiver) Create(int boundedCapacity = DataflowBlockOptions.Unbounded) =>
        Create(boundedCapacity, onClosed: null);

    /// <summary>Creates an inbox whose sender reports the messages it could not deliver to <paramref name="onClosed"/>.</summary>
    /// <param name="boundedCapacity">
    /// The most messages the inbox buffers, or <see cref="DataflowBlockOptions.Unbounded"/> for no limit.
    /// </param>
    /// <param name="onClosed">
    /// Called with each message <see cref="InboxSender.Send"/> could not deliver because the inbox was closed;
    /// may be <see langword="null"/>. It runs on the sending thread and never under a lock of the inbox.
    /// </param>
    /// <returns>A sender and a receiver over one buffer, sharing their closed state.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="boundedCapacity"/> is neither positive nor <see cref="DataflowBlockOptions.Unbounded"/>.
    /// </exception>
    public static (InboxSender Sender, InboxReceiver Receiver) Create(int boundedCapacity, Action<TaskEvent>? onClosed)
    {
        if (boundedCapacity != DataflowBlockOptions.Unbounded && boundedCapacity <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(boundedCapacity), boundedCapacity, Messages.BoundedCapacityOutOfRange(boundedCapacity));
        }

        var buffer = new BufferBlock<TaskEvent>(new DataflowBlockOptions { BoundedCapacity = boundedCapacity });
        var sender = new InboxSender(buffer, onClosed, ownsTarget: true);
        return (sender, new InboxReceiver(buffer, sender));
    }
}
