namespace BackgroundTasks.Caching;

/// <summary>Follows a keyed stream's contents; the state of the snapshot operators.</summary>
/// <typeparam name="TObject">The type of the items.</typeparam>
/// <typeparam name="TKey">The type of the keys.</typeparam>
internal sealed class ContentsTracker<TObject, TKey>
    where TObject : class
    where TKey : notnull
{
    /// <summary>Gets the current contents.</summary>
    public Dictionary<TKey, TObject> Items { get; } = [];

    /// <summary>Brings the contents up to date with one change set.</summary>
    /// <param name="changes">The changes.</param>
    public void Apply(IChangeSet<TObject, TKey> changes)
    {
        // By index: a foreach over the interface would box an enumerator per change set.
        for (int at = 0, changeCount = changes.Count; at < changeCount; at++)
        {
            Change<TObject, TKey> change = changes[at];
            switch (change.Reason)
            {
                case ChangeReason.Add:
                case ChangeReason.Update:
                    Items[change.Key] = change.Current;
                    break;
                case ChangeReason.Remove:
                    Items.Remove(change.Key);
                    break;
            }
        }
    }
}
