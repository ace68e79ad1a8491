using BackgroundTasks.Caching;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>Builds hand-made change sets of <see cref="Item"/>, for sources recorded in virtual time.</summary>
internal static class Changes
{
    public static IChangeSet<Item, string> Set(params Change<Item, string>[] changes) => new ChangeSet<Item, string>(changes);

    public static Change<Item, string> Add(string key, int value) => new(ChangeReason.Add, key, new Item(key, value), null);

    public static Change<Item, string> Update(string key, int value, int previous) =>
        new(ChangeReason.Update, key, new Item(key, value), new Item(key, previous));

    public static Change<Item, string> Remove(string key, int value) => new(ChangeReason.Remove, key, new Item(key, value), null);

    public static Change<Item, string> Refresh(string key, int value) => new(ChangeReason.Refresh, key, new Item(key, value), null);
}
