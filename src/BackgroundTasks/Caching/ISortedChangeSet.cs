namespace BackgroundTasks.Caching;

/// <summary>A change set of a sorted stream: the source's changes, plus every current item in order.</summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
public interface ISortedChangeSet<TObject, TKey> : IChangeSet<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    /// <summary>Gets every current item, in order, after this change set; an immutable snapshot.</summary>
    IReadOnlyList<KeyValuePair<TKey, TObject>> SortedItems { get; }
}
