using BackgroundTasks.Caching;

namespace BackgroundTasks.Tests.Caching;

public sealed class ChangeSetTests
{
    [Fact]
    public void Ctor_EveryReason_CountsEachAndKeepsOrder()
    {
        var a = new Item("a", 1);
        Change<Item, string>[] changes =
        [
            new(ChangeReason.Add, "a", a, null),
            new(ChangeReason.Update, "a", a with { Value = 2 }, a),
            new(ChangeReason.Refresh, "a", a, null),
            new(ChangeReason.Remove, "a", a, null),
            new(ChangeReason.Add, "b", a, null),
        ];

        var set = new ChangeSet<Item, string>(changes);

        Assert.Equal((2, 1, 1, 1), (set.Adds, set.Updates, set.Removes, set.Refreshes));
        Assert.Equal(5, set.Count);
        Assert.Equal(changes, set);
        Assert.Equal(changes[1], set[1]);
        Assert.Equal("ChangeSet: 2 adds, 1 updates, 1 removes, 1 refreshes", set.ToString());
    }

    [Fact]
    public void Ctor_Empty_HasNoChanges()
    {
        var set = new ChangeSet<Item, string>([]);

        Assert.Empty(set);
        Assert.Equal(0, set.Adds + set.Updates + set.Removes + set.Refreshes);
    }
}
