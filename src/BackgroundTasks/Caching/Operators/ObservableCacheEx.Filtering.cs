namespace BackgroundTasks.Caching;

/// <content>Filter and WhereReasonsAre.</content>
public static partial class ObservableCacheEx
{
    /// <summary>Passes on only the items that match <paramref name="predicate"/>.</summary>
    /// <remarks>
    /// An item that stops matching through an Update or Refresh arrives as a Remove of the item the subscriber
    /// held; one that starts matching, as an Add. A change set with nothing left is not sent.
    /// </remarks>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets to filter.</param>
    /// <param name="predicate">Which items pass.</param>
    /// <returns>The filtered change sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="predicate"/> is null.</exception>
    public static IObservable<IChangeSet<TObject, TKey>> Filter<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        Func<TObject, bool> predicate)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(predicate);
        return Operator<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>, Func<TObject, bool>>(
            source, predicate, static (source, predicate, observer) => new Filter<TObject, TKey>(observer, predicate).Run(source));
    }

    /// <summary>
    /// Passes on only the items that match the latest predicate of <paramref name="predicateChanged"/>: nothing
    /// until the first predicate arrives, and each new predicate re-evaluates every item.
    /// </summary>
    /// <remarks>
    /// A new predicate turns into Adds for the items that start matching and Removes for those that stop. The
    /// stream completes when <paramref name="source"/> completes (the last predicate stays in force when
    /// <paramref name="predicateChanged"/> completes) and fails when either fails; a null predicate fails it with
    /// an <see cref="ArgumentException"/>.
    /// </remarks>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets to filter.</param>
    /// <param name="predicateChanged">The predicates, each replacing the one before.</param>
    /// <returns>The filtered change sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="predicateChanged"/> is null.</exception>
    public static IObservable<IChangeSet<TObject, TKey>> Filter<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        IObservable<Func<TObject, bool>> predicateChanged)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(predicateChanged);
        return Operator<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>, IObservable<Func<TObject, bool>>>(
            source,
            predicateChanged,
            static (source, predicates, observer) => new DynamicFilter<TObject, TKey>(observer).Run(source, predicates));
    }

    /// <summary>Passes on only the changes made for one of <paramref name="reasons"/>.</summary>
    /// <remarks>
    /// The result is no longer a faithful view of the contents: an operator after it that keeps items (a
    /// <c>Transform</c>, a <c>Bind</c>) keeps those whose Remove was dropped for as long as it is subscribed.
    /// </remarks>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change sets to filter.</param>
    /// <param name="reasons">The reasons to keep; at least one.</param>
    /// <returns>The change sets with only those changes; a change set with nothing left is not sent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="reasons"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="reasons"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reasons"/> holds a value that is not a <see cref="ChangeReason"/>.</exception>
    public static IObservable<IChangeSet<TObject, TKey>> WhereReasonsAre<TObject, TKey>(
        this IObservable<IChangeSet<TObject, TKey>> source,
        params ChangeReason[] reasons)
        where TObject : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(reasons);
        if (reasons.Length == 0)
        {
            throw new ArgumentException(Messages.NoChangeReasons, nameof(reasons));
        }

        foreach (ChangeReason reason in reasons)
        {
            if (!Enum.IsDefined(reason))
            {
                throw new ArgumentOutOfRangeException(nameof(reasons), reason, Messages.UnknownChangeReason(reason));
            }
        }

        return Operator<IChangeSet<TObject, TKey>, IChangeSet<TObject, TKey>, int>(
            source,
            ReasonMask(reasons),
            static (source, mask, observer) => new WhereReasonsAre<TObject, TKey>(observer, mask).Run(source));
    }

    /// <summary>One bit per reason: the reasons are a handful of small enum values.</summary>
    private static int ReasonMask(ChangeReason[] reasons)
    {
        int mask = 0;
        foreach (ChangeReason reason in reasons)
        {
            mask |= 1 << (int)reason;
        }

        return mask;
    }
}
