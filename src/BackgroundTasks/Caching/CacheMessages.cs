namespace BackgroundTasks.Caching;

/// <summary>The messages of the exceptions the cache throws, kept together so tests can assert them.</summary>
internal static class CacheMessages
{
    public const string SubscribeDuringEdit =
        "A cache cannot be subscribed to from inside its own Edit callback; subscribe before or after the edit.";

    public const string UpdaterOutsideEdit =
        "An ISourceUpdater can only be used inside the Edit callback that received it, on that callback's thread.";

    public const string NullItem = "The items contain a null item.";
}
