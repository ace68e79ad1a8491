using System.Diagnostics;
using System.Runtime.InteropServices;
using BackgroundTasks.Collections;

namespace BackgroundTasks.Caching;

/// <summary>
/// The engine behind <see cref="SourceCache{TObject, TKey}"/>: a dictionary guarded by one lock, the
/// subscriber registries, and a <see cref="DeliveryQueue{T}"/> that calls observers outside the lock.
/// </summary>
/// <remarks>
/// Arguments are checked by the façade. Every mutation and every subscription happens under
/// <see cref="_gate"/>, and the notifications it causes are enqueued under the same lock, so delivery
/// order is mutation order. With no subscriber an edit records nothing and allocates nothing.
/// </remarks>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed partial class ObservableCache<TObject, TKey> : IDisposable
    where TObject : class
    where TKey : notnull
{
    // A huge edit must not pin a huge buffer for the life of the cache.
    private const int MaxRetainedPendingCapacity = 1024;

    private readonly Lock _gate = new();
    private readonly SegmentedDictionary<TKey, TObject> _items = new();
    private readonly Dictionary<TKey, WatchSubscription<TObject, TKey>[]> _watchers = [];
    private readonly DeliveryQueue<CacheNotification<TObject, TKey>> _queue;
    private readonly SourceUpdater<TObject, TKey> _updater;

    private List<Change<TObject, TKey>> _pending = [];
    private ConnectSubscription<TObject, TKey>[] _connections = [];
    private CountSubscription<TObject, TKey>[] _counters = [];
    private bool _editing;
    private bool _recording;
    private int _disposed;

    public ObservableCache(Func<TObject, TKey> keySelector)
    {
        Debug.Assert(keySelector is not null);
        KeySelector = keySelector;
        _queue = new DeliveryQueue<CacheNotification<TObject, TKey>>(_gate, DeliverNotification);
        _updater = new SourceUpdater<TObject, TKey>(this);
    }

    /// <summary>Gets the function that gives an item's key.</summary>
    public Func<TObject, TKey> KeySelector { get; }

    /// <summary>
    /// When set, an exception an observer throws during delivery is handed to it instead of propagating to the
    /// delivering thread (a writer, a subscriber), so a write that happened never looks like a failed one.
    /// </summary>
    public Action<Exception>? ObserverFault { get; set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public TObject[] Items
    {
        get
        {
            lock (_gate)
            {
                return _items.CopyValues();
            }
        }
    }

    public TKey[] Keys
    {
        get
        {
            lock (_gate)
            {
                return _items.CopyKeys();
            }
        }
    }

    /// <summary>Gets whether the calling thread is inside an edit callback (tests and assertions).</summary>
    internal bool IsEditingOnCurrentThread => _gate.IsHeldByCurrentThread && _editing;

    private bool HasSubscribers => _connections.Length != 0 || _counters.Length != 0 || _watchers.Count != 0;

    public TObject? Lookup(TKey key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// Runs <paramref name="update"/> under the lock; everything it changes becomes one change set, delivered
    /// after the lock is released.
    /// </summary>
    public void Edit<TState>(TState state, Action<SourceUpdater<TObject, TKey>, TState> update)
    {
        bool deliver = false;
        try
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, typeof(SourceCache<TObject, TKey>));
                if (_editing)
                {
                    // Only this thread can be editing, since it holds the lock: a nested edit joins the outer one.
                    update(_updater, state);
                    return;
                }

                _editing = true;
                _recording = HasSubscribers;
                int countBefore = _items.Count;
                try
                {
                    update(_updater, state);
                }
                finally
                {
                    // Publish even when the callback threw: what it changed is in the cache, and every
                    // subscriber's view must follow the cache.
                    _editing = false;
                    if (_recording)
                    {
                        Publish(countBefore);
                        _recording = false;
                    }

                    deliver = _queue.TryBeginDelivery();
                }
            }
        }
        finally
        {
            if (deliver)
            {
                _queue.Deliver();
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        bool deliver;
        lock (_gate)
        {
            foreach (ConnectSubscription<TObject, TKey> subscription in _connections)
            {
                _queue.Enqueue(CacheNotification<TObject, TKey>.ForCompletion(subscription));
            }

            foreach (CountSubscription<TObject, TKey> subscription in _counters)
            {
                _queue.Enqueue(CacheNotification<TObject, TKey>.ForCompletion(subscription));
            }

            foreach (WatchSubscription<TObject, TKey>[] watchers in _watchers.Values)
            {
                foreach (WatchSubscription<TObject, TKey> subscription in watchers)
                {
                    _queue.Enqueue(CacheNotification<TObject, TKey>.ForCompletion(subscription));
                }
            }

            _connections = [];
            _counters = [];
            _watchers.Clear();

            // Disposed from inside an edit callback (this thread still holds the lock): the edit delivers.
            deliver = !_editing && _queue.TryBeginDelivery();
        }

        if (deliver)
        {
            _queue.Deliver();
        }
    }

    /// <summary>Enqueues what the edit recorded for every subscriber concerned. Under the lock.</summary>
    private void Publish(int countBefore)
    {
        List<Change<TObject, TKey>> pending = _pending;
        if (pending.Count == 0)
        {
            return;
        }

        ReadOnlySpan<Change<TObject, TKey>> changes = CollectionsMarshal.AsSpan(pending);
        if (_connections.Length != 0)
        {
            // One change set for the whole edit and one queue entry for every Connect subscriber: _connections is
            // copy-on-write, so the array captured here is exactly the subscribers registered before this edit.
            var changeSet = changes.Length == 1
                ? new ChangeSet<TObject, TKey>(in changes[0])
                : new ChangeSet<TObject, TKey>(changes.ToArray());
            _queue.Enqueue(CacheNotification<TObject, TKey>.ForChanges(_connections, changeSet));
        }

        if (_watchers.Count != 0)
        {
            // One dictionary probe per change: the cost does not grow with the number of keys watched.
            foreach (ref readonly Change<TObject, TKey> change in changes)
            {
                if (_watchers.TryGetValue(change.Key, out WatchSubscription<TObject, TKey>[]? watchers))
                {
                    foreach (WatchSubscription<TObject, TKey> subscription in watchers)
                    {
                        _queue.Enqueue(CacheNotification<TObject, TKey>.ForChange(subscription, change));
                    }
                }
            }
        }

        int count = _items.Count;
        if (count != countBefore)
        {
            foreach (CountSubscription<TObject, TKey> subscription in _counters)
            {
                _queue.Enqueue(CacheNotification<TObject, TKey>.ForCount(subscription, count));
            }
        }

        pending.Clear();
        if (pending.Capacity > MaxRetainedPendingCapacity)
        {
            _pending = [];
        }
    }

    private void DeliverNotification(CacheNotification<TObject, TKey> notification)
    {
        if (ObserverFault is not { } report)
        {
            CacheNotification<TObject, TKey>.Deliver(notification);
            return;
        }

        try
        {
            CacheNotification<TObject, TKey>.Deliver(notification);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            report(exception);
        }
    }
}
