using System.Globalization;
using BackgroundTasks.Collections;

namespace BackgroundTasks.Tests.Collections;

public sealed class SegmentedDictionaryTests
{
    [Fact]
    public void RandomOperations_BehaveAsADictionary_IncludingEnumerationOrder()
    {
        // The cache's snapshots enumerate this map; they must list items as a Dictionary would (slot order, with
        // removed slots reused last-freed first), across growth past several segments.
        var random = new Random(1234);
        var map = new SegmentedDictionary<string, int>(StringComparer.Ordinal);
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var step = 0; step < 60_000; step++)
        {
            var key = "k" + random.Next(20_000);
            switch (random.Next(4))
            {
                case 0:
                case 1:
                    map[key] = step;
                    expected[key] = step;
                    break;
                case 2:
                    Assert.Equal(expected.Remove(key, out var gone), map.Remove(key, out var removed));
                    Assert.Equal(gone, removed);
                    break;
                default:
                    Assert.Equal(expected.TryGetValue(key, out var value), map.TryGetValue(key, out var found));
                    Assert.Equal(value, found);
                    break;
            }
        }

        Assert.Equal(expected.Count, map.Count);
        Assert.Equal(expected.ToList(), Enumerate(map));
        Assert.Equal([.. expected.Keys], map.CopyKeys());
        Assert.Equal([.. expected.Values], map.CopyValues());
    }

    [Fact]
    public void GetValueRefOrAddDefault_OneProbe_AddsOnceAndWritesThroughTheReference()
    {
        var map = new SegmentedDictionary<string, string>();

        ref var slot = ref map.GetValueRefOrAddDefault("a", out var existed);
        Assert.False(existed);
        Assert.Null(slot);
        slot = "first";

        ref var again = ref map.GetValueRefOrAddDefault("a", out existed);
        Assert.True(existed);
        Assert.Equal("first", again);
        again = "second";

        Assert.Equal("second", map.GetValueOrDefault("a"));
        Assert.Equal(1, map.Count);
    }

    [Fact]
    public void Keys_WhoseHashesDifferOnlyInHighBits_StillFindTheirEntries()
    {
        // A power-of-two table indexed by the low bits would put all of these in one bucket.
        var map = new SegmentedDictionary<int, int>(new HighBitsComparer());
        for (var key = 0; key < 5_000; key++)
        {
            map[key] = -key;
        }

        for (var key = 0; key < 5_000; key++)
        {
            Assert.Equal(-key, map.GetValueOrDefault(key));
        }

        Assert.True(map.ContainsKey(4_999));
        Assert.False(map.ContainsKey(5_000));
    }

    [Fact]
    public void Remove_Everything_ThenAddAgain_ReusesTheFreedSlots()
    {
        var map = new SegmentedDictionary<string, int>();
        for (var key = 0; key < 1_000; key++)
        {
            map[key.ToString(CultureInfo.InvariantCulture)] = key;
        }

        var capacity = map.Capacity;
        for (var key = 0; key < 1_000; key++)
        {
            Assert.True(map.Remove(key.ToString(CultureInfo.InvariantCulture)));
        }

        Assert.Equal(0, map.Count);
        Assert.Empty(Enumerate(map));
        for (var key = 0; key < 1_000; key++)
        {
            map[key.ToString(CultureInfo.InvariantCulture)] = key;
        }

        Assert.Equal(capacity, map.Capacity);
        Assert.Equal(1_000, map.Count);
    }

    [Fact]
    public void Lookups_OnAnEmptyMap_FindNothing()
    {
        var map = new SegmentedDictionary<string, object>();

        Assert.False(map.TryGetValue("a", out _));
        Assert.False(map.Remove("a", out _));
        Assert.Null(map.GetValueOrDefault("a"));
        Assert.Empty(map.CopyValues());
        Assert.Equal(0, map.Capacity);
    }

    [Fact]
    public void Enumerator_MapChangedMeanwhile_Throws()
    {
        var map = new SegmentedDictionary<string, int> { ["a"] = 1, ["b"] = 2 };

        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var pair in map)
            {
                map.Remove(pair.Key);
            }
        });

        Assert.Equal(Messages.CollectionChangedDuringEnumeration, error.Message);
    }

    private static List<KeyValuePair<TKey, TValue>> Enumerate<TKey, TValue>(SegmentedDictionary<TKey, TValue> map)
        where TKey : notnull
    {
        var pairs = new List<KeyValuePair<TKey, TValue>>();
        foreach (var pair in map)
        {
            pairs.Add(pair);
        }

        return pairs;
    }

    private sealed class HighBitsComparer : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x == y;

        public int GetHashCode(int value) => value << 16;
    }
}
