using System.Collections;
using System.Diagnostics;

namespace BackgroundTasks.Caching;

/// <summary>
/// A change set <c>Transform</c> made that reads each change's reason and key from the source's change set and
/// keeps only the destination items: the usual change set of a store write (one change, or an update with the
/// eviction it caused) in 32 to 48 bytes instead of the 56 or 144 of a <see cref="ChangeSet{TObject, TKey}"/>.
/// </summary>
/// <remarks>
/// <para>
/// Why: a transform's change set dies as soon as it is delivered, but each one moves the next garbage collection
/// nearer, and in the spawn path every collection promotes what the tasks in flight and the operators' retained
/// items hold, so bytes allocated per change cost far more than the allocation itself (see the operator chain
/// benchmark's notes in <c>benchmarks/README.md</c>).
/// </para>
/// <para>
/// Only a <see cref="ChangeSet{TObject, TKey}"/> is used as the source, because that type is immutable (an
/// <see cref="IChangeSet{TObject, TKey}"/> only promises it); a subscriber that keeps this change set also keeps
/// the source's, and so the source items, alive.
/// </para>
/// </remarks>
/// <typeparam name="TSource">The type of the source items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
/// <typeparam name="TDestination">The type of the destination items.</typeparam>
[DebuggerDisplay("{ToString(),nq}")]
internal abstract class ProjectedChangeSet<TSource, TKey, TDestination> : IChangeSet<TDestination, TKey>
    where TSource : class
    where TKey : notnull
    where TDestination : class
{
    private readonly ChangeSet<TSource, TKey> _source;

    private ProjectedChangeSet(ChangeSet<TSource, TKey> source) => _source = source;

    public int Adds => _source.Adds;

    public int Updates => _source.Updates;

    public int Removes => _source.Removes;

    public int Refreshes => _source.Refreshes;

    public int Count => _source.Count;

    public Change<TDestination, TKey> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            Change<TSource, TKey> source = _source[index];
            return new Change<TDestination, TKey>(source.Reason, source.Key, CurrentAt(index), PreviousAt(index));
        }
    }

    /// <summary>
    /// The change set of <paramref name="made"/> over <paramref name="source"/>, or <see langword="null"/> when
    /// they do not match change for change (a change dropped, a reason changed), hold none or more than two, or
    /// the second of two is an Update.
    /// </summary>
    /// <param name="source">The change set the operator received.</param>
    /// <param name="made">What the operator made of it, in order.</param>
    /// <returns>The change set, or <see langword="null"/> to build a <see cref="ChangeSet{TObject, TKey}"/> instead.</returns>
    public static IChangeSet<TDestination, TKey>? TryOver(IChangeSet<TSource, TKey> source, List<Change<TDestination, TKey>> made)
    {
        if (source is not ChangeSet<TSource, TKey> owned || made.Count is 0 or > 2 || !ChangeSets.SameReasons(owned, made))
        {
            return null;
        }

        // Only an Update has a previous item: the other changes need no field for it.
        Change<TDestination, TKey> first = made[0];
        if (made.Count == 1)
        {
            return first.Previous is null ? new Single(owned, first.Current) : new Update(owned, first.Current, first.Previous);
        }

        Change<TDestination, TKey> second = made[1];
        return second.Previous is null ? new Pair(owned, first.Current, first.Previous, second.Current) : null;
    }

    public IEnumerator<Change<TDestination, TKey>> GetEnumerator()
    {
        for (var at = 0; at < Count; at++)
        {
            yield return this[at];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        $"ChangeSet: {Adds} adds, {Updates} updates, {Removes} removes, {Refreshes} refreshes";

    /// <summary>The destination item of the change at <paramref name="index"/>, which is in range.</summary>
    private protected abstract TDestination CurrentAt(int index);

    /// <summary>The previous destination item of the change at <paramref name="index"/>, for an Update.</summary>
    private protected abstract TDestination? PreviousAt(int index);

    /// <summary>One change that is not an Update.</summary>
    private sealed class Single(ChangeSet<TSource, TKey> source, TDestination current)
        : ProjectedChangeSet<TSource, TKey, TDestination>(source)
    {
        private protected override TDestination CurrentAt(int index) => current;

        private protected override TDestination? PreviousAt(int index) => null;
    }

    /// <summary>One Update.</summary>
    private sealed class Update(ChangeSet<TSource, TKey> source, TDestination current, TDestination previous)
        : ProjectedChangeSet<TSource, TKey, TDestination>(source)
    {
        private protected override TDestination CurrentAt(int index) => current;

        private protected override TDestination? PreviousAt(int index) => previous;
    }

    /// <summary>Two changes, the second not an Update: a store's terminal write and the eviction it caused, for one.</summary>
    private sealed class Pair(ChangeSet<TSource, TKey> source, TDestination current0, TDestination? previous0, TDestination current1)
        : ProjectedChangeSet<TSource, TKey, TDestination>(source)
    {
        private protected override TDestination CurrentAt(int index) => index == 0 ? current0 : current1;

        private protected override TDestination? PreviousAt(int index) => index == 0 ? previous0 : null;
    }
}
