using System.Collections;
using System.Diagnostics;

namespace BackgroundTasks.Caching;

/// <summary>An immutable <see cref="IChangeSet{TObject, TKey}"/> over an array it owns.</summary>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed class ChangeSet<TObject, TKey> : IChangeSet<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    // A write of one record (every store write the manager makes) keeps its change inline: one object
    // per change set instead of an object and an array. _changes is null then. The counts are not stored:
    // a single change's come from its reason, an array's are tallied when asked (operators ask once per set,
    // and delivery walks the array anyway), which keeps the object the size of its changes.
    private readonly Change<TObject, TKey>[]? _changes;
    private readonly Change<TObject, TKey> _single;

    /// <summary>A change set of exactly one change.</summary>
    /// <param name="change">The change.</param>
    public ChangeSet(in Change<TObject, TKey> change) => _single = change;

    /// <summary>Wraps <paramref name="changes"/>, which the caller must never modify afterwards.</summary>
    /// <param name="changes">The changes, in the order they were made.</param>
    public ChangeSet(Change<TObject, TKey>[] changes)
    {
        Debug.Assert(changes is not null);
        _changes = changes;
    }

    public int Adds => CountOf(ChangeReason.Add);

    public int Updates => CountOf(ChangeReason.Update);

    public int Removes => CountOf(ChangeReason.Remove);

    public int Refreshes => CountOf(ChangeReason.Refresh);

    public int Count => _changes?.Length ?? 1;

    /// <summary>The changes, in order, without copying or boxing an enumerator.</summary>
    public ReadOnlySpan<Change<TObject, TKey>> Span => _changes is not null ? _changes : new ReadOnlySpan<Change<TObject, TKey>>(in _single);

    public Change<TObject, TKey> this[int index] =>
        _changes is not null ? _changes[index]
        : index == 0 ? _single
        : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<Change<TObject, TKey>> GetEnumerator() =>
        _changes is not null ? ((IEnumerable<Change<TObject, TKey>>)_changes).GetEnumerator() : EnumerateSingle();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<Change<TObject, TKey>> EnumerateSingle()
    {
        yield return _single;
    }

    private int CountOf(ChangeReason reason)
    {
        var count = 0;
        foreach (ref readonly Change<TObject, TKey> change in Span)
        {
            if (change.Reason == reason)
            {
                count++;
            }
        }

        return count;
    }

    public override string ToString() =>
        $"ChangeSet: {Adds} adds, {Updates} updates, {Removes} removes, {Refreshes} refreshes";
}
