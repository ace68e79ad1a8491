using System.Diagnostics;

namespace BackgroundTasks.Caching;

/// <summary>
/// Delivers notifications one at a time, in the order they were enqueued, and never while the owner's
/// lock is held.
/// </summary>
/// <remarks>
/// <para>
/// The owner enqueues under its own lock (the one given to the constructor), so enqueue order is the
/// owner's order of mutation. Before releasing the lock it calls <see cref="TryBeginDelivery"/>; when that
/// returns <see langword="true"/> the calling thread has become the single deliverer and must call
/// <see cref="Deliver"/> after releasing the lock. A thread that finds another deliverer at work just
/// returns: its notifications are delivered by the current deliverer before that one stops.
/// </para>
/// <para>
/// Because nobody delivers recursively, a callback may re-enter the owner (write, subscribe, unsubscribe):
/// what it enqueues is delivered after the callback returns, by the same loop.
/// </para>
/// <para>
/// If the callback throws, the exception propagates to the thread that was delivering and the deliverer
/// role is given up; undelivered notifications stay queued, in order, for the next deliverer.
/// </para>
/// </remarks>
/// <typeparam name="T">The type of the queued notifications.</typeparam>
internal sealed class DeliveryQueue<T>
{
    private readonly Lock _gate;
    private readonly Action<T> _deliver;

    // Writers fill _pending under the lock; the deliverer swaps it for the empty _batch and delivers the
    // batch outside the lock, so one lock round trip serves every notification of a write.
    private Queue<T> _pending = new();
    private Queue<T> _batch = new();

    // Claimed under the lock; given up without it when nothing is pending (see Deliver), so it is volatile.
    private volatile bool _isDelivering;

    /// <summary>Creates a queue guarded by the owner's <paramref name="gate"/>.</summary>
    /// <param name="gate">The owner's lock, held by every caller of <see cref="Enqueue"/>.</param>
    /// <param name="deliver">Delivers one notification; called outside the lock, never concurrently.</param>
    public DeliveryQueue(Lock gate, Action<T> deliver)
    {
        Debug.Assert(gate is not null);
        Debug.Assert(deliver is not null);
        _gate = gate;
        _deliver = deliver;
    }

    /// <summary>Queues a notification. The caller holds the owner's lock.</summary>
    /// <param name="item">The notification.</param>
    public void Enqueue(T item)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        _pending.Enqueue(item);
    }

    /// <summary>
    /// Claims the deliverer role when there is something to deliver and nobody delivers yet. The caller
    /// holds the owner's lock; on <see langword="true"/> it must call <see cref="Deliver"/> once it has
    /// released the lock.
    /// </summary>
    /// <returns>Whether the calling thread must deliver.</returns>
    public bool TryBeginDelivery()
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        if (_pending.Count == 0)
        {
            return false;
        }

        // Pairs with the fence in Deliver, which gives the role up without the lock: the enqueue above must be
        // visible before the flag is read here, so that either this writer sees the role free or the leaving
        // deliverer sees the entry (x64 may otherwise let the flag's read pass the queue's write).
        Interlocked.MemoryBarrier();
        if (_isDelivering)
        {
            return false;
        }

        // Take the first batch now, under the lock the caller already holds, so a write with nobody else
        // delivering costs one more lock round trip (the final check in Deliver), not two.
        _isDelivering = true;
        (_pending, _batch) = (_batch, _pending);
        return true;
    }

    /// <summary>
    /// Delivers everything queued, including what is enqueued meanwhile, then gives up the deliverer role.
    /// Only the thread whose <see cref="TryBeginDelivery"/> returned <see langword="true"/> calls it,
    /// without holding the owner's lock.
    /// </summary>
    public void Deliver()
    {
        Debug.Assert(!_gate.IsHeldByCurrentThread, "Callbacks must never run under the owner's lock.");

        // TryBeginDelivery swapped the first batch in; only this thread touches _batch until it gives up the role.
        Queue<T> batch = _batch;
        while (true)
        {
            try
            {
                while (batch.TryDequeue(out T? item))
                {
                    _deliver(item);
                }
            }
            catch
            {
                // Keep what is left of the batch ahead of what arrived meanwhile, so the next deliverer
                // keeps the order, and let that next writer deliver it.
                lock (_gate)
                {
                    while (_pending.TryDequeue(out T? later))
                    {
                        batch.Enqueue(later);
                    }

                    _batch = _pending;
                    _pending = batch;
                    _isDelivering = false;
                }

                throw;
            }

            // Give the role up without the lock (every write with subscribers ends here, and the lock is the
            // writers' own, often contended). Dekker-style with TryBeginDelivery, which writes the queue and then
            // reads the flag with a fence between: this writes the flag and then reads the queue, so a writer that
            // enqueued meanwhile either finds the role free and delivers itself, or is seen here.
            Debug.Assert(_batch.Count == 0);
            _isDelivering = false;
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _pending).Count == 0)
            {
                return;
            }

            lock (_gate)
            {
                // Someone enqueued: take the role back, unless that writer (or a later one) already has it.
                if (_isDelivering || _pending.Count == 0)
                {
                    return;
                }

                _isDelivering = true;
                batch = _pending;
                _pending = _batch;
                _batch = batch;
            }
        }
    }
}
