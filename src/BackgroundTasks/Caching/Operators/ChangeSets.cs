namespace BackgroundTasks.Caching;

/// <summary>Builds the change sets the operators emit.</summary>
internal static class ChangeSets
{
    /// <summary>
    /// A change set of what <paramref name="changes"/> holds, or <see langword="null"/> when it is empty (an
    /// operator never emits an empty change set); clears the buffer so the operator can reuse it.
    /// </summary>
    /// <typeparam name="TObject">The type of the items.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="changes">The operator's buffer.</param>
    /// <returns>The change set, or <see langword="null"/>.</returns>
    public static IChangeSet<TObject, TKey>? Drain<TObject, TKey>(List<Change<TObject, TKey>> changes)
        where TObject : class
        where TKey : notnull
    {
        IChangeSet<TObject, TKey>? result = changes.Count switch
        {
            0 => null,
            1 => new ChangeSet<TObject, TKey>(changes[0]),
            _ => new ChangeSet<TObject, TKey>([.. changes]),
        };
        changes.Clear();
        return result;
    }

    /// <summary>An Add change.</summary>
    public static Change<TObject, TKey> Add<TObject, TKey>(TKey key, TObject current)
        where TObject : class
        where TKey : notnull => new(ChangeReason.Add, key, current, null);

    /// <summary>A Remove change of the item the subscriber holds.</summary>
    public static Change<TObject, TKey> Remove<TObject, TKey>(TKey key, TObject held)
        where TObject : class
        where TKey : notnull => new(ChangeReason.Remove, key, held, null);
}
