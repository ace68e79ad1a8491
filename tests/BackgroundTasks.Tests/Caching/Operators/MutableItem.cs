using BackgroundTasks.Caching;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>An item changed in place, then refreshed: what a Refresh is for.</summary>
internal sealed class MutableItem(string key, int value)
{
    public string Key { get; } = key;

    public int Value { get; set; } = value;

    public static IChangeSet<MutableItem, string> Set(ChangeReason reason, MutableItem item) =>
        new ChangeSet<MutableItem, string>(new Change<MutableItem, string>(reason, item.Key, item, null));
}
