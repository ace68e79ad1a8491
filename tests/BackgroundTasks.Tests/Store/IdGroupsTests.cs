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

    [Fact]
    public void FirstRemoval_AfterManyAddsAcrossGroups_FindsEveryId_AndLaterAddsAreTracked()
    {
        // The position map is built by the first removal, from the groups' slots; everything after must behave as if
        // it had been kept all along.
        var groups = new IdGroups();
        var random = new Random(7);
        var expected = new Dictionary<string, List<string>>();
        for (var i = 0; i < 3_000; i++)
        {
            var key = "t" + random.Next(5);
            groups.Add(key, $"bg_{i}");
            (expected.TryGetValue(key, out var ids) ? ids : expected[key] = []).Add($"bg_{i}");
        }

        for (var i = 3_000; i < 6_000; i++)
        {
            var key = "t" + random.Next(5);
            var victim = expected[key][random.Next(expected[key].Count)];
            Assert.Equal(expected[key].Count == 1, groups.Remove(key, victim));
            expected[key].Remove(victim);
            groups.Add(key, $"bg_{i}");
            expected[key].Add($"bg_{i}");
        }

        foreach (var (key, ids) in expected)
        {
            Assert.Equal(ids, groups.Read(key));
        }
    }
}
