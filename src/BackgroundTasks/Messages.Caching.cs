using BackgroundTasks.Caching;

namespace BackgroundTasks;

internal static partial class Messages
{
    public const string SubscribeDuringEdit =
        "A cache cannot be subscribed to from inside its own Edit callback; subscribe before or after the edit.";

    public const string UpdaterOutsideEdit =
        "An ISourceUpdater can only be used inside the Edit callback that received it, on that callback's thread.";

    public const string NullItem = "The items contain a null item.";

    public static string SegmentedIndexOutOfRange(int index, int length) =>
        Format("Index {0} is outside an array of {1} elements.", index, length);

    public const string CollectionChangedDuringEnumeration =
        "The collection was changed while it was being enumerated; enumerate a copy, or change it after the enumeration.";

    public const string NoChangeReasons = "WhereReasonsAre needs at least one change reason to keep.";

    public const string NullPredicateInStream = "The predicate stream produced a null predicate.";

    public const string NullSourceStream = "The change-set streams to merge contain a null stream.";

    public const string DerivedCacheHasNoKeySelector =
        "A cache filled by an operator receives every item with its key and never computes one.";

    public static string UnknownChangeReason(ChangeReason reason) =>
        Format("{0} is not a ChangeReason.", (int)reason);

    public static string TransformReturnedNull(object key) =>
        Format("The transform returned null for the item with key '{0}'; it must return an item.", key);

    public static string NullGroupKey(object key) =>
        Format("The group key selector returned null for the item with key '{0}'; it must return a group key.", key);
}
