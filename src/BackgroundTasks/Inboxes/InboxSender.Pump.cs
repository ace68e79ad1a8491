using System.Threading.Tasks.Dataflow;

namespace BackgroundTasks;

public sealed partial class InboxSender
{
    /// <summary>Offers the queued messages to the target one at a time, in order, with back-pressure.</summary>
    /// <remarks>At most one pump runs per sender (guarded by <c>_pumping</c>); it ends when the queue is empty.</remarks>
    private async Task PumpAsync()
    {
        while (true)
        {
            PendingSend? entry;
            bool complete;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _pumping = false;
                    complete = _completeWhenDrained;
                    _completeWhenDrained = false;
                    entry = null;
                }
                else
                {
                    // Peeked, not dequeued: while it is offered the count stays non-zero, so no direct send
                    // can overtake it.
                    entry = _queue.Peek();
                    complete = false;
                }
            }

            if (entry is null)
            {
                if (complete)
                {
                    _target.Complete();
                }

                return;
            }

            if (!entry.TryStartOffering())
            {
                // Its SendAsync caller cancelled while it was queued.
                Dequeue();
                continue;
            }

            bool accepted;
            try
            {
                accepted = await _target.SendAsync(entry.Message, entry.CancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (entry.CancellationToken.IsCancellationRequested)
            {
                // The offer observed the token, so the target did not take the message.
                Dequeue();
                entry.CompleteCancelled();
                continue;
            }
            catch
            {
                // A target that throws from OfferMessage: refuse what is queued rather than leave it stuck,
                // and let the exception surface as the pump's (unobserved) failure.
                RefuseQueued();
                throw;
            }

            if (!accepted)
            {
                // Once room is offered, a block declines only when it is completing: the inbox is closed.
                RefuseQueued();
                return;
            }

            // Dequeued before the caller is told, so a caller that sends again at once does not queue needlessly.
            Dequeue();
            entry.Complete(accepted: true);
        }
    }

    private void Dequeue()
    {
        lock (_lock)
        {
            _queue.Dequeue();
            Volatile.Write(ref _queuedCount, _queue.Count);
        }
    }

    /// <summary>The target refused a queued message permanently: refuse every queued message, in order.</summary>
    private void RefuseQueued()
    {
        PendingSend[] refused;
        bool complete;
        lock (_lock)
        {
            _closed = true;
            refused = [.. _queue];
            _queue.Clear();
            Volatile.Write(ref _queuedCount, 0);
            _pumping = false;
            complete = _completeWhenDrained;
            _completeWhenDrained = false;
        }

        // Outside the lock: onClosed is user code, and so are the continuations of SendAsync callers.
        if (complete)
        {
            _target.Complete();
        }

        foreach (PendingSend entry in refused)
        {
            bool reportToCallback = !entry.IsAwaited;
            entry.Complete(accepted: false);
            if (reportToCallback)
            {
                _onClosed?.Invoke(entry.Message);
            }
        }
    }
}
