using BackgroundTasks.Collections;

namespace BackgroundTasks.Tests.Collections;

public sealed class SegmentedListTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(8_192)]
    [InlineData(8_193)]
    [InlineData(50_000)]
    public void Add_AcrossTheFirstSegmentsGrowthAndFullSegments_KeepsEveryElementInOrder(int count)
    {
        var list = new SegmentedList<string?>();
        for (var at = 0; at < count; at++)
        {
            list.Add("s" + at);
        }

        Assert.Equal(count, list.Count);
        for (var at = 0; at < count; at++)
        {
            Assert.Equal("s" + at, list[at]);
        }
    }

    [Fact]
    public void Truncate_ThenAdd_ContinuesAfterTheKeptPrefix()
    {
        var list = new SegmentedList<int>();
        for (var at = 0; at < 30_000; at++)
        {
            list.Add(at);
        }

        list.Truncate(10_001);
        list.Add(-1);

        Assert.Equal(10_002, list.Count);
        Assert.Equal(10_000, list[10_000]);
        Assert.Equal(-1, list[10_001]);

        list.Truncate(0);
        list.Add(7);
        Assert.Equal(1, list.Count);
        Assert.Equal(7, list[0]);
    }

    [Fact]
    public void Indexer_WritesThroughTheReference()
    {
        var list = new SegmentedList<string?>();
        list.Add("a");
        list.Add("b");

        list[1] = null;

        Assert.Null(list[1]);
        Assert.Equal("a", list[0]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void Indexer_OutOfRange_Throws(int index)
    {
        var list = new SegmentedList<int>();
        list.Add(1);
        list.Add(2);

        Assert.Throws<ArgumentOutOfRangeException>(() => list[index]);
    }

    [Fact]
    public void Truncate_BeyondTheCount_Throws()
    {
        var list = new SegmentedList<int>();
        list.Add(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => list.Truncate(2));
    }
}
