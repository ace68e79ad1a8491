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

    /// <summary>
    /// Whether <paramref name="made"/> has a change for each change of <paramref name="source"/>, with the same
    /// reason, in the same order: what an operator that passed every change on (perhaps mapped) holds.
    /// </summary>
    /// <typeparam name="TSource">The type of the source items.</typeparam>
    /// <typeparam name="TObject">The type of the items made.</typeparam>
    /// <typeparam name="TKey">The type of the keys.</typeparam>
    /// <param name="source">The change set the operator received.</param>
    /// <param name="made">The operator's buffer.</param>
    /// <returns><see langword="true"/> when the reasons match one for one.</returns>
    public static bool SameReasons<TSource, TObject, TKey>(IChangeSet<TSource, TKey> source, List<Change<TObject, TKey>> made)
        where TSource : class
        where TObject : class
        where TKey : notnull
    {
        if (made.Count != source.Count)
        {
            return false;
        }

        for (var i = 0; i < made.Count; i++)
        {
            if (made[i].Reason != source[i].Reason)
            {
                return false;
            }
        }

        return true;
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
