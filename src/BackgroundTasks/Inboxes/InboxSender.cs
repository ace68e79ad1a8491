using System.Diagnostics;
using System.Threading.Tasks.Dataflow;

namespace BackgroundTasks;

/// <summary>Sends <see cref="TaskEvent"/> messages into an inbox: any dataflow target block.</summary>
/// <remarks>
/// <para>
/// All members are thread-safe. Messages one thread sends arrive in the order it sent them, whether the
/// target had room or not. Every message is either delivered to the target or reported as refused
/// (<see langword="false"/> from the send, or <c>onClosed</c>); none is lost silently, also when sends race
/// with closing.
/// </para>
/// <para>
/// <b>A full bounded target.</b> <see cref="SendAsync"/> waits for room. <see cref="Send"/> is meant for
/// callers that cannot wait (event sources, hot paths), so it neither blocks nor drops: it queues the message
/// in this sender, in order, and returns <see langword="true"/>. Queued messages are offered to the target one
/// at a time, with back-pressure, as room frees up, and every later send of this sender queues behind them so
/// order holds. The queue itself is unbounded: a bound limits the target, not <see cref="Send"/>.
/// <see cref="TrySend"/> never queues (see its remarks).
/// </para>
/// <para>
/// For an inbox made by <see cref="Inbox.Create(int)"/>, closing the receiver keeps the queued messages:
/// they still enter the buffer, in order, before it completes. For a user's target that later refuses queued
/// messages permanently (it was completed), each message queued by <see cref="Send"/> is handed to
/// <c>onClosed</c> (pass one if such messages matter: without it they are dropped), and each one queued by
/// <see cref="SendAsync"/> completes that call with <see langword="false"/>. Standard blocks decline an offer
/// that may wait for room only when they are completing, so any such refusal closes this sender.
/// </para>
/// </remarks>
public sealed partial class InboxSender
{
    // Post uses the same single header: with no source to consume from, a target never looks at its id.
    private static readonly DataflowMessageHeader s_header = new(1);

    private readonly ITargetBlock<TaskEvent> _target;
    private readonly Action<TaskEvent>? _onClosed;
    private readonly bool _ownsTarget;
    private readonly Lock _lock = new();
    private readonly Queue<PendingSend> _queue = new();

    // Entries in _queue, the one being offered included; written under _lock, read without it by the
    // fast path, which may offer directly only while nothing is queued (so it cannot overtake).
    private int _queuedCount;
    private bool _pumping;
    private bool _completeWhenDrained;
    private volatile bool _closed;

    /// <summary>Creates a sender that delivers into <paramref name="target"/>.</summary>
    /// <param name="target">
    /// Any target block, such as a <see cref="BufferBlock{T}"/> linked onward or an <see cref="ActionBlock{T}"/>,
    /// so an owner inbox can be the head of a pipeline.
    /// </param>
    /// <param name="onClosed">
    /// Called with each message <see cref="Send"/> could not deliver because the target is closed; may be
    /// <see langword="null"/>. It is user code: it runs after every lock of the sender is released, on the
    /// sending thread (or, for a queued message, on the thread that found the target closed) and must not throw.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <see langword="null"/>.</exception>
    public InboxSender(ITargetBlock<TaskEvent> target, Action<TaskEvent>? onClosed = null)
        : this(target ?? throw new ArgumentNullException(nameof(target)), onClosed, ownsTarget: false)
    {
    }

    internal InboxSender(ITargetBlock<TaskEvent> target, Action<TaskEvent>? onClosed, bool ownsTarget)
    {
        _target = target;
        _onClosed = onClosed;
        _ownsTarget = ownsTarget;
    }

    private enum DirectOutcome
    {
        Accepted,
        Closed,
        MustQueue,
    }

    /// <summary>
    /// Whether the inbox is closed: its receiver was closed, or the target declined a message permanently or
    /// its <see cref="IDataflowBlock.Completion"/> is done.
    /// </summary>
    public bool IsClosed => _closed || _target.Completion.IsCompleted;

    /// <summary>Sends <paramref name="message"/>; when the inbox is closed, hands it to <c>onClosed</c>.</summary>
    /// <param name="message">The message to send.</param>
    /// <returns>
    /// <see langword="true"/> when the target accepted the message, or (target full) the message was queued to
    /// be offered as room frees up; <see langword="false"/> when the inbox is closed, after <c>onClosed</c> ran.
    /// </returns>
    /// <remarks>
    /// Never blocks. On an unbounded inbox it is a single <see cref="DataflowBlock.Post{TInput}"/>-like offer
    /// and allocates nothing. See the class remarks for a full bounded target.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public bool Send(TaskEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);

        DirectOutcome outcome = TryOfferDirectly(message);
        if (outcome == DirectOutcome.Accepted || (outcome == DirectOutcome.MustQueue && TryEnqueue(new PendingSend(message))))
        {
            return true;
        }

        _onClosed?.Invoke(message);
        return false;
    }

    /// <summary>Sends <paramref name="message"/> if the inbox can take it now, without calling <c>onClosed</c>.</summary>
    /// <param name="message">The message to send.</param>
    /// <returns>
    /// <see langword="true"/> when the target accepted the message; <see langword="false"/> when the inbox is
    /// closed, or it is a full bounded inbox (or messages queued by <see cref="Send"/> wait before it).
    /// </returns>
    /// <remarks>
    /// Unlike <see cref="Send"/>, it never queues: having no callback, it could not report a queued message
    /// that the target later refuses, so a message is either accepted now or handed back with
    /// <see langword="false"/>. Check <see cref="IsClosed"/> to tell a closed inbox from a full one.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public bool TrySend(TaskEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return TryOfferDirectly(message) == DirectOutcome.Accepted;
    }

    /// <summary>Sends <paramref name="message"/>, waiting for room in a bounded inbox.</summary>
    /// <param name="message">The message to send.</param>
    /// <param name="cancellationToken">Stops the wait for room.</param>
    /// <returns>
    /// <see langword="true"/> once the target accepted the message; <see langword="false"/> when the inbox is
    /// closed (<c>onClosed</c> is not called: the caller gets the outcome).
    /// </returns>
    /// <remarks>
    /// Completes synchronously when the target has room and no earlier message of this sender is queued.
    /// Otherwise the message waits its turn behind the messages queued before it, so order holds.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled before the target accepted the message (it is then not
    /// delivered). Reported through the returned task.
    /// </exception>
    public ValueTask<bool> SendAsync(TaskEvent message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        return TryOfferDirectly(message) switch
        {
            DirectOutcome.Accepted => new ValueTask<bool>(true),
            DirectOutcome.Closed => new ValueTask<bool>(false),
            _ => EnqueueAndWaitAsync(message, cancellationToken),
        };
    }

    /// <summary>Closes an inbox this sender owns (one made by <see cref="Inbox.Create(int)"/>).</summary>
    internal void Close()
    {
        Debug.Assert(_ownsTarget, "Only an inbox made by Inbox.Create is closed through its sender.");

        bool completeNow;
        lock (_lock)
        {
            _closed = true;

            // Messages Send already queued were accepted by the inbox, so they enter the buffer before it
            // completes: the pump completes it once its queue is empty. Calling this twice is harmless.
            completeNow = _queuedCount == 0;
            _completeWhenDrained |= !completeNow;
        }

        if (completeNow)
        {
            _target.Complete();
        }
    }

    private DirectOutcome TryOfferDirectly(TaskEvent message)
    {
        if (_closed)
        {
            return DirectOutcome.Closed;
        }

        if (Volatile.Read(ref _queuedCount) != 0)
        {
            return DirectOutcome.MustQueue;
        }

        switch (_target.OfferMessage(s_header, message, source: null, consumeToAccept: false))
        {
            case DataflowMessageStatus.Accepted:
                return DirectOutcome.Accepted;
            case DataflowMessageStatus.DecliningPermanently:
                _closed = true;
                return DirectOutcome.Closed;
            default:
                // Declined: a bounded target is full. Offered again with back-pressure from the queue.
                return DirectOutcome.MustQueue;
        }
    }

    private bool TryEnqueue(PendingSend entry)
    {
        lock (_lock)
        {
            // Checked under the lock: Close sets _closed under it too, so a message is either queued before
            // Close (and delivered before the buffer completes) or refused.
            if (_closed)
            {
                return false;
            }

            _queue.Enqueue(entry);
            Volatile.Write(ref _queuedCount, _queue.Count);
            if (_pumping)
            {
                return true;
            }

            _pumping = true;
        }

        // Started outside the lock: the pump takes it, and may call user code (onClosed).
        _ = PumpAsync();
        return true;
    }

    private async ValueTask<bool> EnqueueAndWaitAsync(TaskEvent message, CancellationToken cancellationToken)
    {
        var entry = new PendingSend(message, cancellationToken);
        entry.RegisterCancellation();
        if (!TryEnqueue(entry))
        {
            entry.Complete(accepted: false);
            return false;
        }

        return await entry.Task.ConfigureAwait(false);
    }
}
