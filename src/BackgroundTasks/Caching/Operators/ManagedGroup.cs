using System.Diagnostics.CodeAnalysis;

namespace BackgroundTasks.Caching;

/// <summary>One group of the <c>Group</c> operator: its key and the live cache of its members.</summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the items' keys.</typeparam>
/// <typeparam name="TGroupKey">The type of the group key.</typeparam>
[SuppressMessage("Reliability", "CA2213:Disposable fields should be disposed", Justification = "End completes the cache; disposing it from outside does nothing by design.")]
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The Group operator ends the group with End; users get no disposable.")]
internal sealed class ManagedGroup<TObject, TKey, TGroupKey> : IGroup<TObject, TKey, TGroupKey>
    where TObject : class
    where TKey : notnull
    where TGroupKey : notnull
{
    private readonly DerivedCache<TObject, TKey> _cache = new(onDispose: null);

    public ManagedGroup(TGroupKey key) => Key = key;

    public TGroupKey Key { get; }

    public IObservableCache<TObject, TKey> Cache => _cache;

    /// <summary>Gets the members' changes of the change set being grouped; empty between change sets.</summary>
    public List<Change<TObject, TKey>> Pending { get; } = [];

    /// <summary>Gets or sets how many members the group has once its pending changes are applied.</summary>
    public int Members { get; set; }

    /// <summary>Gets or sets whether the group's Add has been emitted (so a Remove must follow when it empties).</summary>
    public bool IsAnnounced { get; set; }

    /// <summary>Applies the pending changes to the group's cache, as one change set for its subscribers.</summary>
    public void ApplyPending()
    {
        try
        {
            _cache.Apply(Pending);
        }
        finally
        {
            Pending.Clear();
        }
    }

    /// <summary>Completes (or fails) the group's streams.</summary>
    /// <param name="error">The grouped stream's error, if it failed.</param>
    public void End(Exception? error) => _cache.End(error);

    public override string ToString() => $"Group {Key}";
}
