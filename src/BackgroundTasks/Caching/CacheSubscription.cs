namespace BackgroundTasks.Caching;

/// <summary>
/// A subscriber of an <see cref="ObservableCache{TObject, TKey}"/>, and the <see cref="IDisposable"/>
/// its observer gets back.
/// </summary>
/// <remarks>
/// <see cref="Deliver"/> runs only on the cache's single deliverer, so subclasses may keep unsynchronized
/// state for it. Disposal may come from any thread, including from inside the observer's own callback;
/// the stopped flag is checked before every call, so nothing is delivered after the observer disposed.
/// </remarks>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal abstract class CacheSubscription<TObject, TKey> : IDisposable
    where TObject : class
    where TKey : notnull
{
    private int _stopped;

    protected CacheSubscription(ObservableCache<TObject, TKey> owner) => Owner = owner;

    /// <summary>Gets the cache this subscription belongs to.</summary>
    protected ObservableCache<TObject, TKey> Owner { get; }

    /// <summary>Stops delivery and removes the subscription from its cache. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            Unregister();
        }
    }

    /// <summary>Delivers one notification unless the subscription has stopped. Deliverer only.</summary>
    /// <param name="notification">The notification.</param>
    internal void Deliver(in CacheNotification<TObject, TKey> notification)
    {
        if (Volatile.Read(ref _stopped) != 0)
        {
            return;
        }

        if (notification.IsCompletion)
        {
            // The cache has already dropped this subscriber, so stopping needs no unregistering.
            Volatile.Write(ref _stopped, 1);
            OnCompleted();
        }
        else
        {
            OnNext(in notification);
        }
    }

    /// <summary>Removes the subscription from its cache.</summary>
    protected abstract void Unregister();

    /// <summary>Passes a value notification to the observer.</summary>
    /// <param name="notification">The notification.</param>
    protected abstract void OnNext(in CacheNotification<TObject, TKey> notification);

    /// <summary>Completes the observer.</summary>
    protected abstract void OnCompleted();
}
