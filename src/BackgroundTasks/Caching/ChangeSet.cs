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
    // per change set instead of an object and an array. _changes is null then.
    private readonly Change<TObject, TKey>[]? _changes;
    private readonly Change<TObject, TKey> _single;

    /// <summary>A change set of exactly one change.</summary>
    /// <param name="change">The change.</param>
    public ChangeSet(in Change<TObject, TKey> change)
    {
        _single = change;
        Tally(change.Reason);
    }

    /// <summary>Wraps <paramref name="changes"/>, which the caller must never modify afterwards.</summary>
    /// <param name="changes">The changes, in the order they were made.</param>
    public ChangeSet(Change<TObject, TKey>[] changes)
    {
        Debug.Assert(changes is not null);
        _changes = changes;
        foreach (Change<TObject, TKey> change in changes)
        {
            Tally(change.Reason);
        }
    }

    public int Adds { get; private set; }

    public int Updates { get; private set; }

    public int Removes { get; private set; }

    public int Refreshes { get; private set; }

    public int Count => _changes?.Length ?? 1;

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

    private void Tally(ChangeReason reason)
    {
        switch (reason)
        {
            case ChangeReason.Add: Adds++; break;
            case ChangeReason.Update: Updates++; break;
            case ChangeReason.Remove: Removes++; break;
            case ChangeReason.Refresh: Refreshes++; break;
            default: Debug.Fail($"Unknown change reason {reason}."); break;
        }
    }

    public override string ToString() =>
        $"ChangeSet: {Adds} adds, {Updates} updates, {Removes} removes, {Refreshes} refreshes";
}
