namespace BackgroundTasks.Caching;

/// <summary>
/// Runs the work of an operator with several inputs one piece at a time, in arrival order, without holding a lock
/// while it runs: the same single-deliverer rule as the cache, over <see cref="DeliveryQueue{T}"/>.
/// </summary>
/// <remarks>
/// A thread that finds the gate busy queues its work and returns; the thread already inside runs it next. So the
/// work may call back into the operator (a subscriber disposing from <c>OnNext</c>) without deadlock or reentrancy.
/// If the work throws, the exception propagates to the thread that ran it and the rest stays queued, in order,
/// for the next caller.
/// </remarks>
internal sealed class SerialGate
{
    private readonly Lock _gate = new();
    private readonly DeliveryQueue<Action> _queue;

    public SerialGate() => _queue = new DeliveryQueue<Action>(_gate, static work => work());

    /// <summary>Runs <paramref name="work"/> now, or after the work already queued.</summary>
    /// <param name="work">The work; it never runs beside other work of this gate.</param>
    public void Run(Action work)
    {
        bool deliver;
        lock (_gate)
        {
            _queue.Enqueue(work);
            deliver = _queue.TryBeginDelivery();
        }

        if (deliver)
        {
            _queue.Deliver();
        }
    }
}
