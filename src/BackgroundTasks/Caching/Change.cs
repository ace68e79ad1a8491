namespace BackgroundTasks.Caching;

/// <summary>One change to one key of a keyed cache.</summary>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
/// <param name="Reason">Why the item is in the change set.</param>
/// <param name="Key">The key that changed.</param>
/// <param name="Current">
/// The item the key now holds; for <see cref="ChangeReason.Remove"/>, the item that was removed.
/// </param>
/// <param name="Previous">
/// For <see cref="ChangeReason.Update"/>, the item the key held before; <see langword="null"/> otherwise.
/// </param>
public readonly record struct Change<TObject, TKey>(ChangeReason Reason, TKey Key, TObject Current, TObject? Previous)
    where TObject : class
    where TKey : notnull;
