using System.Runtime.ExceptionServices;
using BackgroundTasks.Caching;

namespace BackgroundTasks.Reactive;

/// <summary>
/// A hot multicast stream: every value passed to <see cref="OnNext"/> goes to the observers subscribed at
/// that moment. Unlike a subject, it is not itself an observer, so it can be exposed as an
/// <see cref="IObservable{T}"/> without letting callers push values.
/// </summary>
/// <remarks>
/// <para>
/// Observers are called outside the broadcaster's lock and never concurrently: the calling thread delivers
/// unless another one already is, in which case that one delivers this value too. An observer may call
/// <see cref="OnNext"/> or subscribe from inside <c>OnNext</c>; the value is delivered after it returns.
/// An observer that disposes its subscription receives nothing more.
/// </para>
/// <para>
/// An observer that throws costs the others nothing: every other observer still gets every value at once, and
/// whatever was queued is delivered in the same run. The exception goes to the fault handler given to the
/// constructor; with none, it is rethrown on the delivering thread once that run has delivered everything
/// (one exception as it was thrown, several as an <see cref="AggregateException"/>).
/// </para>
/// </remarks>
/// <typeparam name="T">The type of the values.</typeparam>
internal sealed class Broadcaster<T> : IObservable<T>
{
    // The faults of the delivery run on this thread when there is no fault handler. Per thread, because the
    // deliverer role moves between threads once a run ends, and saved around each run, because an observer
    // may make another broadcaster of the same type deliver on this thread inside its own OnNext.
    [ThreadStatic]
    private static List<Exception>? t_deliveryFaults;

    private readonly Lock _gate = new();
    private readonly DeliveryQueue<Notification> _queue;
    private readonly Action<Exception, T>? _onObserverFault;

    // Copy on write, so OnNext can check for observers without the lock.
    private Subscription[] _subscriptions = [];
    private bool _completed;

    /// <summary>Creates a broadcaster.</summary>
    /// <param name="onObserverFault">
    /// Receives each exception an observer throws, with the value it was given (default for a completion); called on the delivering thread,
    /// outside the lock. Null: the exceptions are rethrown once the delivery run is over.
    /// </param>
    public Broadcaster(Action<Exception, T>? onObserverFault = null)
    {
        _onObserverFault = onObserverFault;
        _queue = new DeliveryQueue<Notification>(_gate, DeliverOne);
    }

    /// <summary>Gets whether anyone is subscribed.</summary>
    public bool HasObservers => Volatile.Read(ref _subscriptions).Length != 0;

    /// <summary>Sends <paramref name="value"/> to every current observer. Nearly free when there is none.</summary>
    /// <param name="value">The value.</param>
    public void OnNext(T value)
    {
        // Without the lock a subscriber racing with this call may miss the value, which a hot stream allows.
        if (Volatile.Read(ref _subscriptions).Length == 0)
        {
            return;
        }

        bool deliver;
        lock (_gate)
        {
            foreach (Subscription subscription in _subscriptions)
            {
                _queue.Enqueue(new Notification(subscription, value, IsCompletion: false));
            }

            deliver = _queue.TryBeginDelivery();
        }

        if (deliver)
        {
            DeliverAll();
        }
    }

    /// <summary>
    /// Completes every current observer, once; later subscribers are completed at once and later values
    /// are dropped.
    /// </summary>
    public void OnCompleted()
    {
        bool deliver;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            foreach (Subscription subscription in _subscriptions)
            {
                _queue.Enqueue(new Notification(subscription, default!, IsCompletion: true));
            }

            _subscriptions = [];
            deliver = _queue.TryBeginDelivery();
        }

        if (deliver)
        {
            DeliverAll();
        }
    }

    /// <summary>Subscribes <paramref name="observer"/> to later values.</summary>
    /// <param name="observer">The observer.</param>
    /// <returns>Disposing it stops delivery to <paramref name="observer"/>, also from inside its <c>OnNext</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="observer"/> is null.</exception>
    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var subscription = new Subscription(this, observer);
        bool deliver = false;
        lock (_gate)
        {
            if (_completed)
            {
                // Through the queue, so it cannot overtake or overlap anything being delivered.
                _queue.Enqueue(new Notification(subscription, default!, IsCompletion: true));
                deliver = _queue.TryBeginDelivery();
            }
            else
            {
                _subscriptions = [.. _subscriptions, subscription];
            }
        }

        if (deliver)
        {
            DeliverAll();
        }

        return subscription;
    }

    /// <summary>Runs the delivery the calling thread has claimed, then surfaces the faults nobody handled.</summary>
    private void DeliverAll()
    {
        if (_onObserverFault is not null)
        {
            _queue.Deliver();
            return;
        }

        var outer = t_deliveryFaults;
        t_deliveryFaults = null;
        List<Exception>? faults;
        try
        {
            _queue.Deliver();
        }
        finally
        {
            faults = t_deliveryFaults;
            t_deliveryFaults = outer;
        }

        if (faults is [var single])
        {
            ExceptionDispatchInfo.Throw(single);
        }

        if (faults is { Count: > 1 })
        {
            throw new AggregateException(faults);
        }
    }

    /// <summary>
    /// Delivers one notification and keeps an observer's exception from reaching the delivery queue, which would
    /// stop the run and leave the other observers' notifications for the next writer.
    /// </summary>
    private void DeliverOne(Notification notification)
    {
        try
        {
            notification.Target.Deliver(notification);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            if (_onObserverFault is { } report)
            {
                report(exception, notification.Value);
            }
            else
            {
                (t_deliveryFaults ??= []).Add(exception);
            }
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(_subscriptions, subscription);
            if (index >= 0)
            {
                _subscriptions = [.. _subscriptions.AsSpan(0, index), .. _subscriptions.AsSpan(index + 1)];
            }
        }
    }

    private readonly record struct Notification(Subscription Target, T Value, bool IsCompletion);

    private sealed class Subscription(Broadcaster<T> owner, IObserver<T> observer) : IDisposable
    {
        private int _stopped;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 0)
            {
                owner.Unsubscribe(this);
            }
        }

        // Deliverer only: checked before every call, so disposing inside OnNext stops delivery at once.
        public void Deliver(in Notification notification)
        {
            if (Volatile.Read(ref _stopped) != 0)
            {
                return;
            }

            if (notification.IsCompletion)
            {
                Volatile.Write(ref _stopped, 1);
                observer.OnCompleted();
            }
            else
            {
                observer.OnNext(notification.Value);
            }
        }
    }
}
