namespace BackgroundTasks.Tests.Store;

public sealed class IdGroupsTests
{
    [Fact]
    public void Read_KeepsTheOrderIdsWereAdded_ThroughRemovalsAndCompaction()
    {
        var groups = new IdGroups();
        for (var i = 0; i < 100; i++)
        {
            groups.Add("t1", $"bg_{i}");
        }

        // Removing the oldest three quarters one by one compacts the group on the way.
        for (var i = 0; i < 75; i++)
        {
            groups.Remove("t1", $"bg_{i}");
        }

        groups.Add("t1", "bg_100");
        groups.Remove("t1", "bg_80");

        Assert.Equal([.. Enumerable.Range(75, 26).Where(i => i != 80).Select(i => $"bg_{i}")], groups.Read("t1"));
    }

    [Fact]
    public void Remove_OfAnUnknownIdOrKey_ChangesNothing_AndAnEmptiedGroupIsGone()
    {
        var groups = new IdGroups();
        groups.Add("t1", "bg_0");
        groups.Add("t2", "bg_1");

        groups.Remove("t1", "bg_1");
        groups.Remove("t9", "bg_0");
        Assert.Equal(["bg_0"], groups.Read("t1"));

        groups.Remove("t1", "bg_0");
        Assert.Empty(groups.Read("t1"));
        Assert.Equal(["bg_1"], groups.Read("t2"));
        groups.Remove("t2", "bg_1");
        Assert.Empty(groups.Read("t2"));
    }
}
