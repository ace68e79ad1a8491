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
    private readonly Change<TObject, TKey>[] _changes;

    /// <summary>Wraps <paramref name="changes"/>, which the caller must never modify afterwards.</summary>
    /// <param name="changes">The changes, in the order they were made.</param>
    public ChangeSet(Change<TObject, TKey>[] changes)
    {
        Debug.Assert(changes is not null);
        _changes = changes;
        foreach (Change<TObject, TKey> change in changes)
        {
            switch (change.Reason)
            {
                case ChangeReason.Add: Adds++; break;
                case ChangeReason.Update: Updates++; break;
                case ChangeReason.Remove: Removes++; break;
                case ChangeReason.Refresh: Refreshes++; break;
                default: Debug.Fail($"Unknown change reason {change.Reason}."); break;
            }
        }
    }

    public int Adds { get; }

    public int Updates { get; }

    public int Removes { get; }

    public int Refreshes { get; }

    public int Count => _changes.Length;

    public Change<TObject, TKey> this[int index] => _changes[index];

    public IEnumerator<Change<TObject, TKey>> GetEnumerator() => ((IEnumerable<Change<TObject, TKey>>)_changes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        $"ChangeSet: {Adds} adds, {Updates} updates, {Removes} removes, {Refreshes} refreshes";
}
