namespace BackgroundTasks;

internal static partial class Messages
{
    public const string SubscribeDuringEdit =
        "A cache cannot be subscribed to from inside its own Edit callback; subscribe before or after the edit.";

    public const string UpdaterOutsideEdit =
        "An ISourceUpdater can only be used inside the Edit callback that received it, on that callback's thread.";

    public const string NullItem = "The items contain a null item.";
}
