namespace BackgroundTasks.Caching;

/// <summary>Why an item appears in a change set.</summary>
public enum ChangeReason
{
    /// <summary>The key was not in the cache (or, for a filtered stream, not in the filtered view) and now is.</summary>
    Add,

    /// <summary>The key was in the cache and now holds a new item; the change's <c>Previous</c> is the old one.</summary>
    Update,

    /// <summary>The key left the cache (or the filtered view); the change's <c>Current</c> is the item it held.</summary>
    Remove,

    /// <summary>The item did not change, but subscribers are asked to re-evaluate it.</summary>
    Refresh,
}
