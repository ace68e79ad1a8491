using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Dataflow;

namespace BackgroundTasks;

/// <summary>Reads the messages of an inbox made by <see cref="Inbox.Create(int)"/>, and closes it.</summary>
/// <remarks>
/// All members are thread-safe; competing readers each get distinct messages, in buffer order. A pipeline may
/// consume the same messages by linking to <see cref="Source"/>.
/// </remarks>
public sealed class InboxReceiver
{
    private readonly BufferBlock<TaskEvent> _buffer;
    private readonly InboxSender _sender;

    internal InboxReceiver(BufferBlock<TaskEvent> buffer, InboxSender sender)
    {
        _buffer = buffer;
        _sender = sender;
    }

    /// <summary>How many messages are buffered now, ready to read.</summary>
    /// <remarks>
    /// Messages <see cref="InboxSender.Send"/> queued on a full bounded inbox are not counted until they enter
    /// the buffer.
    /// </remarks>
    public int Count => _buffer.Count;

    /// <summary>The buffer as a source block, to link pipelines to it.</summary>
    /// <remarks>
    /// It completes after <see cref="Close"/>, once every buffered message has been taken. Close the inbox with
    /// <see cref="Close"/> rather than completing this block: only <see cref="Close"/> keeps the messages
    /// <see cref="InboxSender.Send"/> queued on a full bounded inbox and marks the sender closed at once.
    /// </remarks>
    public ISourceBlock<TaskEvent> Source => _buffer;

    /// <summary>Whether <see cref="Close"/> was called (or the inbox refused a message because it is completing).</summary>
    public bool IsClosed => _sender.IsClosed;

    /// <summary>Takes the next buffered message, if there is one, without waiting.</summary>
    /// <param name="message">The message taken, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when a message was taken.</returns>
    public bool TryReceive([NotNullWhen(true)] out TaskEvent? message) => _buffer.TryReceive(out message);

    /// <summary>Takes the next message, waiting for one if the inbox is empty.</summary>
    /// <param name="cancellationToken">Stops the wait; the call then returns <see langword="null"/>.</param>
    /// <returns>
    /// The next message; or <see langword="null"/> once <paramref name="cancellationToken"/> is cancelled (no
    /// exception is thrown), or once the inbox is closed and empty.
    /// </returns>
    /// <remarks>Completes synchronously when a message is buffered. A cancelled token wins over a buffered message.</remarks>
    public ValueTask<TaskEvent?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask<TaskEvent?>((TaskEvent?)null);
        }

        if (_buffer.TryReceive(out TaskEvent? message))
        {
            return new ValueTask<TaskEvent?>(message);
        }

        return WaitAndReceiveAsync(cancellationToken);
    }

    /// <summary>Reads every message until the inbox is closed and empty, or the token is cancelled.</summary>
    /// <param name="cancellationToken">Ends the enumeration (without an exception).</param>
    /// <returns>The messages, in buffer order.</returns>
    public async IAsyncEnumerable<TaskEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReceiveAsync(cancellationToken).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }

    /// <summary>Takes every message buffered now, in order.</summary>
    /// <returns>The messages taken; empty when none were buffered.</returns>
    /// <remarks>Atomic: no other reader gets a message in the middle of the returned run.</remarks>
    public IReadOnlyList<TaskEvent> Drain()
    {
        if (!_buffer.TryReceiveAll(out IList<TaskEvent>? items))
        {
            return [];
        }

        return items as IReadOnlyList<TaskEvent> ?? [.. items];
    }

    /// <summary>Closes the inbox: later sends return <see langword="false"/>; what is buffered stays readable.</summary>
    /// <remarks>
    /// <see cref="IsClosed"/> (here and on the sender) is true when this returns. Once the buffered messages
    /// (and any queued by <see cref="InboxSender.Send"/> before the close) are taken,
    /// <see cref="ReceiveAsync"/> returns <see langword="null"/> and <see cref="Source"/> completes.
    /// Idempotent and thread-safe.
    /// </remarks>
    public void Close() => _sender.Close();

    private async ValueTask<TaskEvent?> WaitAndReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // False once the buffer completed and is empty: closed and drained.
                if (!await _buffer.OutputAvailableAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            // Another reader (or a linked pipeline) may have taken the message: wait again.
            if (_buffer.TryReceive(out TaskEvent? message))
            {
                return message;
            }
        }
    }
}
