using BackgroundTasks.Collections;

namespace BackgroundTasks.Tests.Collections;

public sealed class SegmentedArrayTests
{
    [Fact]
    public void SegmentLength_KeepsEverySegmentOffTheLargeObjectHeap()
    {
        // 85,000 bytes is where the runtime puts an array on the large object heap.
        Assert.True(SegmentedArray<long>.SegmentLength * sizeof(long) < 85_000);
        Assert.True(SegmentedArray<int>.SegmentLength * sizeof(int) < 85_000);
        Assert.True(SegmentedArray<(long, long, long)>.SegmentLength * 24 < 85_000);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8_191)]
    [InlineData(8_192)]
    [InlineData(8_193)]
    [InlineData(100_000)]
    public void Indexer_AcrossSegments_ReadsWhatWasWritten(int length)
    {
        var array = new SegmentedArray<long>(length);
        for (var at = 0; at < length; at++)
        {
            array[at] = at * 3L;
        }

        Assert.Equal(length, array.Length);
        for (var at = 0; at < length; at++)
        {
            Assert.Equal(at * 3L, array[at]);
        }
    }

    [Fact]
    public void Allocation_OfAMillionElements_StaysOffTheLargeObjectHeap()
    {
        var array = new SegmentedArray<long>(1_000_000);
        array[999_999] = 7;

        // A plain long[1_000_000] would be 8 MB in one large object.
        Assert.Equal(7, array[999_999]);
        Assert.True(SegmentedArray<long>.SegmentLength < 1_000_000);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    public void Indexer_OutOfRange_ThrowsNamingTheIndex(int index)
    {
        var array = new SegmentedArray<int>(10);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => array[index]);

        Assert.Contains(Messages.SegmentedIndexOutOfRange(index, 10), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CopyTo_ALongerArray_CopiesThePrefixAcrossSegments()
    {
        var count = SegmentedArray<int>.SegmentLength * 2 + 5;
        var source = new SegmentedArray<int>(count);
        for (var at = 0; at < count; at++)
        {
            source[at] = at + 1;
        }

        var destination = new SegmentedArray<int>(count * 2);
        source.CopyTo(destination, count);

        for (var at = 0; at < count; at++)
        {
            Assert.Equal(at + 1, destination[at]);
        }

        Assert.Equal(0, destination[count]);
    }
}
