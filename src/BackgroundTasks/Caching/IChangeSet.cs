namespace BackgroundTasks.Caching;

/// <summary>
/// The changes one edit made to a keyed cache, in the order it made them. Immutable once published, so
/// one instance may be shared by every subscriber.
/// </summary>
/// <typeparam name="TObject">The type of the cached items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
public interface IChangeSet<TObject, TKey> : IReadOnlyList<Change<TObject, TKey>>
    where TObject : class
    where TKey : notnull
{
    /// <summary>Gets how many changes are <see cref="ChangeReason.Add"/>.</summary>
    int Adds { get; }

    /// <summary>Gets how many changes are <see cref="ChangeReason.Update"/>.</summary>
    int Updates { get; }

    /// <summary>Gets how many changes are <see cref="ChangeReason.Remove"/>.</summary>
    int Removes { get; }

    /// <summary>Gets how many changes are <see cref="ChangeReason.Refresh"/>.</summary>
    int Refreshes { get; }
}
