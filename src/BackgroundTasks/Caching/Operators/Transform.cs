using System.Runtime.InteropServices;

namespace BackgroundTasks.Caching;

/// <summary>
/// The sink of <c>Transform</c>: maps each item to a destination item under the same key, as DynamicData's.
/// </summary>
/// <remarks>
/// An Add or Update runs the transform (an Update's previous is the destination made for the old item); a Remove
/// and a Refresh reuse the destination already made, so a Refresh is passed on without re-transforming.
/// </remarks>
/// <typeparam name="TSource">The type of the source items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
/// <typeparam name="TDestination">The type of the destination items.</typeparam>
internal sealed class Transform<TSource, TKey, TDestination>
    : OperatorSink<IChangeSet<TSource, TKey>, IChangeSet<TDestination, TKey>>
    where TSource : class
    where TKey : notnull
    where TDestination : class
{
    private readonly Func<TSource, TKey, TDestination> _transform;
    private readonly Dictionary<TKey, TDestination> _made = [];
    private readonly List<Change<TDestination, TKey>> _buffer = [];

    public Transform(IObserver<IChangeSet<TDestination, TKey>> downstream, Func<TSource, TKey, TDestination> transform)
        : base(downstream) => _transform = transform;

    protected override IChangeSet<TDestination, TKey>? Process(IChangeSet<TSource, TKey> changes)
    {
        if (changes is ChangeSet<TSource, TKey> owned)
        {
            // The library's own change set (a cache's, an operator's): its span, no interface call per change.
            foreach (ref readonly Change<TSource, TKey> change in owned.Span)
            {
                Apply(in change);
            }

            // The usual case, every change passed on with its reason: a change set that reads reasons and keys from
            // the source's instead of copying them (fewer bytes per change, hence fewer collections).
            IChangeSet<TDestination, TKey>? projected = ProjectedChangeSet<TSource, TKey, TDestination>.TryOver(owned, _buffer);
            if (projected is not null)
            {
                _buffer.Clear();
                return projected;
            }
        }
        else
        {
            // By index: a foreach over the interface would box an enumerator per change set.
            for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
            {
                Apply(changes[at]);
            }
        }

        return ChangeSets.Drain(_buffer);
    }

    private void Apply(in Change<TSource, TKey> change)
    {
        TKey key = change.Key;
        switch (change.Reason)
        {
            case ChangeReason.Add:
            case ChangeReason.Update:
                TDestination made = _transform(change.Current, key)
                    ?? throw new InvalidOperationException(Messages.TransformReturnedNull(key));
                // One hash probe per change: this is the per-write cost of the chain.
                ref TDestination? slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_made, key, out bool existed);
                _buffer.Add(existed
                    ? new Change<TDestination, TKey>(ChangeReason.Update, key, made, slot)
                    : ChangeSets.Add(key, made));
                slot = made;
                break;

            case ChangeReason.Remove:
                if (_made.Remove(key, out TDestination? removed))
                {
                    _buffer.Add(ChangeSets.Remove(key, removed));
                }

                break;

            default:
                if (_made.TryGetValue(key, out TDestination? held))
                {
                    _buffer.Add(new Change<TDestination, TKey>(ChangeReason.Refresh, key, held, null));
                }

                break;
        }
    }
}
