using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace BackgroundTasks.Caching;

/// <summary>
/// One queued delivery of an <see cref="ObservableCache{TObject, TKey}"/>: a change set, a single change,
/// a count, or completion, for one subscriber; or a change set for every Connect subscriber of the moment.
/// A struct, so queuing it does not allocate.
/// </summary>
/// <remarks>
/// A change set goes to all Connect subscribers as one notification carrying the (copy-on-write) subscriber
/// array of the moment it was made, so a write costs one queue entry however many subscribers there are,
/// and a subscriber that joins later (its snapshot already holds the change) is not in it.
/// </remarks>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal readonly struct CacheNotification<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    private CacheNotification(
        CacheSubscription<TObject, TKey>? target,
        ChangeSet<TObject, TKey>? changes,
        Change<TObject, TKey> change,
        int count,
        bool isCompletion,
        ConnectSubscription<TObject, TKey>[]? targets = null)
    {
        Debug.Assert(target is not null ^ targets is not null);
        Target = target;
        Targets = targets;
        Changes = changes;
        Change = change;
        Count = count;
        IsCompletion = isCompletion;
    }

    /// <summary>Gets the subscriber this notification is for, unless it is for <see cref="Targets"/>.</summary>
    public CacheSubscription<TObject, TKey>? Target { get; }

    /// <summary>Gets the Connect subscribers a shared change set is for, in subscription order.</summary>
    public ConnectSubscription<TObject, TKey>[]? Targets { get; }

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

    public static CacheNotification<TObject, TKey> ForChanges(ConnectSubscription<TObject, TKey>[] targets, ChangeSet<TObject, TKey> changes) =>
        new(null, changes, default, 0, isCompletion: false, targets);

    public static CacheNotification<TObject, TKey> ForChange(CacheSubscription<TObject, TKey> target, in Change<TObject, TKey> change) =>
        new(target, null, change, 0, isCompletion: false);

    public static CacheNotification<TObject, TKey> ForCount(CacheSubscription<TObject, TKey> target, int count) =>
        new(target, null, default, count, isCompletion: false);

    public static CacheNotification<TObject, TKey> ForCompletion(CacheSubscription<TObject, TKey> target) =>
        new(target, null, default, 0, isCompletion: true);

    /// <summary>Hands the notification to its subscriber; the <see cref="DeliveryQueue{T}"/> callback.</summary>
    /// <param name="notification">The notification.</param>
    public static void Deliver(CacheNotification<TObject, TKey> notification)
    {
        if (notification.Targets is { } targets)
        {
            DeliverToAll(targets, in notification);
        }
        else
        {
            notification.Target!.Deliver(in notification);
        }
    }

    /// <summary>
    /// Hands a shared change set to every subscriber in order. A throwing observer does not stop the others:
    /// each later subscriber still receives this change set now, in its place, and only then does the
    /// exception (or an <see cref="AggregateException"/> when several threw) propagate to the delivering
    /// thread, as a single subscriber's would; the rest of the queue goes to the next deliverer.
    /// </summary>
    private static void DeliverToAll(ConnectSubscription<TObject, TKey>[] targets, in CacheNotification<TObject, TKey> notification)
    {
        List<Exception>? errors = null;
        foreach (ConnectSubscription<TObject, TKey> target in targets)
        {
            try
            {
                target.Deliver(in notification);
            }
            catch (Exception exception)
            {
                (errors ??= []).Add(exception);
            }
        }

        if (errors is null)
        {
            return;
        }

        if (errors.Count == 1)
        {
            // Rethrown as it was, so a single failing observer looks the same as before fan-out was shared.
            ExceptionDispatchInfo.Throw(errors[0]);
        }

        throw new AggregateException(errors);
    }
}
