using System.Diagnostics;

namespace BackgroundTasks.Caching;

/// <content>Subscribing and unsubscribing: each snapshot is taken under the same lock as the registration.</content>
internal sealed partial class ObservableCache<TObject, TKey>
{
    public IDisposable SubscribeConnect(IObserver<IChangeSet<TObject, TKey>> observer, Func<TObject, bool>? predicate)
    {
        var subscription = new ConnectSubscription<TObject, TKey>(this, observer, predicate);
        Subscribe(subscription, static (cache, subscription) =>
        {
            if (cache._items.Count != 0)
            {
                // The snapshot is unfiltered here; the subscription filters it on the deliverer, like any change set.
                var adds = new Change<TObject, TKey>[cache._items.Count];
                int i = 0;
                foreach (KeyValuePair<TKey, TObject> pair in cache._items)
                {
                    adds[i++] = new Change<TObject, TKey>(ChangeReason.Add, pair.Key, pair.Value, null);
                }

                cache._queue.Enqueue(CacheNotification<TObject, TKey>.ForChanges(subscription, new ChangeSet<TObject, TKey>(adds)));
            }

            cache._connections = [.. cache._connections, subscription];
        });
        return subscription;
    }

    public IDisposable SubscribeWatch(TKey key, IObserver<Change<TObject, TKey>> observer)
    {
        var subscription = new WatchSubscription<TObject, TKey>(this, key, observer);
        Subscribe(subscription, static (cache, subscription) =>
        {
            TKey key = subscription.Key;
            if (cache._items.TryGetValue(key, out TObject? current))
            {
                var add = new Change<TObject, TKey>(ChangeReason.Add, key, current, null);
                cache._queue.Enqueue(CacheNotification<TObject, TKey>.ForChange(subscription, add));
            }

            cache._watchers[key] = cache._watchers.TryGetValue(key, out WatchSubscription<TObject, TKey>[]? watchers)
                ? [.. watchers, subscription]
                : [subscription];
        });
        return subscription;
    }

    public IDisposable SubscribeCount(IObserver<int> observer)
    {
        var subscription = new CountSubscription<TObject, TKey>(this, observer);
        Subscribe(subscription, static (cache, subscription) =>
        {
            cache._queue.Enqueue(CacheNotification<TObject, TKey>.ForCount(subscription, cache._items.Count));
            cache._counters = [.. cache._counters, subscription];
        });
        return subscription;
    }

    internal void Unsubscribe(ConnectSubscription<TObject, TKey> subscription)
    {
        lock (_gate)
        {
            _connections = Without(_connections, subscription);
        }
    }

    internal void Unsubscribe(CountSubscription<TObject, TKey> subscription)
    {
        lock (_gate)
        {
            _counters = Without(_counters, subscription);
        }
    }

    internal void Unsubscribe(WatchSubscription<TObject, TKey> subscription)
    {
        lock (_gate)
        {
            TKey key = subscription.Key;
            if (_watchers.TryGetValue(key, out WatchSubscription<TObject, TKey>[]? watchers))
            {
                WatchSubscription<TObject, TKey>[] rest = Without(watchers, subscription);
                if (rest.Length == 0)
                {
                    _watchers.Remove(key);
                }
                else
                {
                    _watchers[key] = rest;
                }
            }
        }
    }

    /// <summary>
    /// Registers a subscription and enqueues its snapshot under the lock, or completes it at once when the
    /// cache is disposed; then delivers outside the lock unless another thread is delivering.
    /// </summary>
    private void Subscribe<TSubscription>(TSubscription subscription, Action<ObservableCache<TObject, TKey>, TSubscription> register)
        where TSubscription : CacheSubscription<TObject, TKey>
    {
        bool deliver;
        lock (_gate)
        {
            if (_editing)
            {
                // The snapshot would hold half an edit whose change set the subscriber would then receive too.
                throw new InvalidOperationException(Messages.SubscribeDuringEdit);
            }

            if (Volatile.Read(ref _disposed) != 0)
            {
                _queue.Enqueue(CacheNotification<TObject, TKey>.ForCompletion(subscription));
            }
            else
            {
                register(this, subscription);
            }

            deliver = _queue.TryBeginDelivery();
        }

        if (deliver)
        {
            _queue.Deliver();
        }
    }

    /// <summary>A copy of <paramref name="subscriptions"/> without <paramref name="subscription"/> (copy on write).</summary>
    private static T[] Without<T>(T[] subscriptions, T subscription)
        where T : class
    {
        int index = Array.IndexOf(subscriptions, subscription);
        if (index < 0)
        {
            return subscriptions;
        }

        if (subscriptions.Length == 1)
        {
            return [];
        }

        var rest = new T[subscriptions.Length - 1];
        Array.Copy(subscriptions, 0, rest, 0, index);
        Array.Copy(subscriptions, index + 1, rest, index, rest.Length - index);
        Debug.Assert(Array.IndexOf(rest, subscription) < 0);
        return rest;
    }
}
