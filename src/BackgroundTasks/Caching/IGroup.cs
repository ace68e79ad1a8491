namespace BackgroundTasks.Caching;

/// <summary>One group of a <c>Group</c> operator: the items of a keyed stream that share a group key.</summary>
/// <remarks>
/// The group's <see cref="Cache"/> is live: it follows the source as items join, move between groups and leave.
/// It is owned by the operator that made it, which completes its streams when the group is removed (it became
/// empty) or when the grouped stream ends; disposing it yourself does nothing.
/// </remarks>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the items' keys.</typeparam>
/// <typeparam name="TGroupKey">The type of the group key.</typeparam>
public interface IGroup<TObject, TKey, TGroupKey>
    where TObject : class
    where TKey : notnull
    where TGroupKey : notnull
{
    /// <summary>Gets the group key every member shares.</summary>
    TGroupKey Key { get; }

    /// <summary>Gets the group's members, live.</summary>
    IObservableCache<TObject, TKey> Cache { get; }
}
