using System.Diagnostics;

namespace BackgroundTasks.Caching;

/// <summary>
/// One queued delivery to one subscriber of an <see cref="ObservableCache{TObject, TKey}"/>: a change set,
/// a single change, a count, or completion. A struct, so queuing it does not allocate.
/// </summary>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal readonly struct CacheNotification<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    private CacheNotification(
        CacheSubscription<TObject, TKey> target,
        ChangeSet<TObject, TKey>? changes,
        Change<TObject, TKey> change,
        int count,
        bool isCompletion)
    {
        Debug.Assert(target is not null);
        Target = target;
        Changes = changes;
        Change = change;
        Count = count;
        IsCompletion = isCompletion;
    }

    /// <summary>Gets the subscriber this notification is for.</summary>
    public CacheSubscription<TObject, TKey> Target { get; }

    /// <summary>Gets the change set, for a Connect subscriber.</summary>
    public ChangeSet<TObject, TKey>? Changes { get; }

    /// <summary>Gets the change, for a Watch subscriber.</summary>
    public Change<TObject, TKey> Change { get; }

    /// <summary>Gets the count, for a CountChanged subscriber.</summary>
    public int Count { get; }

    /// <summary>Gets whether this notification completes the subscriber's stream.</summary>
    public bool IsCompletion { get; }

    public static CacheNotification<TObject, TKey> ForChanges(CacheSubscription<TObject, TKey> target, ChangeSet<TObject, TKey> changes) =>
        new(target, changes, default, 0, isCompletion: false);

    public static CacheNotification<TObject, TKey> ForChange(CacheSubscription<TObject, TKey> target, in Change<TObject, TKey> change) =>
        new(target, null, change, 0, isCompletion: false);

    public static CacheNotification<TObject, TKey> ForCount(CacheSubscription<TObject, TKey> target, int count) =>
        new(target, null, default, count, isCompletion: false);

    public static CacheNotification<TObject, TKey> ForCompletion(CacheSubscription<TObject, TKey> target) =>
        new(target, null, default, 0, isCompletion: true);

    /// <summary>Hands the notification to its subscriber; the <see cref="DeliveryQueue{T}"/> callback.</summary>
    /// <param name="notification">The notification.</param>
    public static void Deliver(CacheNotification<TObject, TKey> notification) => notification.Target.Deliver(in notification);
}
