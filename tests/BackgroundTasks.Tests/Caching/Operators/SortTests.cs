using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using BackgroundTasks.Caching;
using Microsoft.Reactive.Testing;
using static BackgroundTasks.Tests.Caching.Operators.Changes;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>Sort: DynamicData's SortFixture scenarios (inserts, updates and removes at each end and in the middle).</summary>
public sealed class SortTests : OperatorTest
{
    private static readonly IComparer<Item> s_byValue = Comparer<Item>.Create((x, y) => x.Value.CompareTo(y.Value));

    /// <summary>Records each sorted change set as "changes | sorted keys".</summary>
    private List<string> RecordSorted(params Recorded<Notification<IChangeSet<Item, string>>>[] messages)
    {
        var source = Source(messages);
        return Scheduler.Start(() => source.Sort(s_byValue).Select(Describe)).Messages.Select(m => m.Value.Value).ToList();
    }

    private static string Describe(ISortedChangeSet<Item, string> changes) =>
        $"{ChangeText.Of(changes)} | {string.Join(' ', changes.SortedItems.Select(pair => pair.Key))}";

    [Fact]
    public void Sort_InitialBatch_IsSortedAndCarriesTheSourceChanges()
    {
        var sorted = RecordSorted(At(300, Add("c", 30), Add("a", 10), Add("b", 20)));

        Assert.Equal(["+c=30 +a=10 +b=20 | a b c"], sorted);
    }

    [Theory]
    [InlineData(5, "n a b c")]
    [InlineData(15, "a n b c")]
    [InlineData(35, "a b c n")]
    public void Sort_Add_GoesToItsPlace(int value, string order)
    {
        var sorted = RecordSorted(At(300, Add("a", 10), Add("b", 20), Add("c", 30)), At(400, Add("n", value)));

        Assert.Equal($"+n={value} | {order}", sorted[1]);
    }

    [Theory]
    [InlineData("a", "b c")]
    [InlineData("b", "a c")]
    [InlineData("c", "a b")]
    public void Sort_Remove_TakesTheItemOut(string key, string order)
    {
        int value = key[0] switch { 'a' => 10, 'b' => 20, _ => 30 };
        var sorted = RecordSorted(At(300, Add("a", 10), Add("b", 20), Add("c", 30)), At(400, Remove(key, value)));

        Assert.Equal($"-{key}={value} | {order}", sorted[1]);
    }

    [Theory]
    [InlineData("a", 10, 40, "b c a")]
    [InlineData("c", 30, 5, "c a b")]
    [InlineData("b", 20, 25, "a b c")]
    public void Sort_Update_MovesTheItemWhereItsNewValueSorts(string key, int previous, int value, string order)
    {
        var sorted = RecordSorted(At(300, Add("a", 10), Add("b", 20), Add("c", 30)), At(400, Update(key, value, previous)));

        Assert.Equal($"~{key}={value}/{previous} | {order}", sorted[1]);
    }

    [Fact]
    public void Sort_EqualValues_KeepArrivalOrder()
    {
        var sorted = RecordSorted(At(300, Add("x", 10), Add("y", 10)), At(400, Add("z", 10)), At(500, Update("x", 10, 10)));

        Assert.Equal(["+x=10 +y=10 | x y", "+z=10 | x y z", "~x=10/10 | y z x"], sorted);
    }

    [Fact]
    public void Sort_EmptiedThenRefilledInOneBatch_EqualValuesKeepArrivalOrder()
    {
        var sorted = RecordSorted(
            At(300, Add("a", 1), Add("b", 1), Add("c", 1)),
            At(400, Remove("a", 1), Remove("b", 1), Remove("c", 1)),
            At(500, Add("z", 1), Add("y", 1), Add("x", 1)));

        Assert.EndsWith("| z y x", sorted[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Sort_BatchOfMixedChanges_EndsInOrder()
    {
        var sorted = RecordSorted(
            At(300, Add("a", 10), Add("b", 20), Add("c", 30), Add("d", 40)),
            At(400, Remove("b", 20), Update("d", 5, 40), Add("e", 25), Update("a", 35, 10)));

        Assert.Equal("-b=20 ~d=5/40 +e=25 ~a=35/10 | d e c a", sorted[1]);
    }

    [Fact]
    public void Sort_RefreshAfterAnInPlaceChange_ReSortsTheItem()
    {
        var first = new MutableItem("a", 10);
        var second = new MutableItem("b", 20);
        var source = Scheduler.CreateHotObservable(
            OnNext(300, (IChangeSet<MutableItem, string>)new ChangeSet<MutableItem, string>(
                [new(ChangeReason.Add, "a", first, null), new(ChangeReason.Add, "b", second, null)])),
            OnNext(400, MutableItem.Set(ChangeReason.Refresh, first)));
        Scheduler.ScheduleAbsolute(350, () => first.Value = 30);

        var orders = Scheduler.Start(() => source.Sort(Comparer<MutableItem>.Create((x, y) => x.Value.CompareTo(y.Value)))
            .Select(changes => string.Join(' ', changes.SortedItems.Select(pair => pair.Key)))).Messages;

        Assert.Equal([OnNext(300, "a b"), OnNext(400, "b a")], orders);
    }

    [Fact]
    public void Sort_SortedItems_AreASnapshotThatLaterChangesDoNotTouch()
    {
        using var cache = new SourceCache<Item, string>(item => item.Key);
        var received = new List<ISortedChangeSet<Item, string>>();
        using var subscription = cache.Connect().Sort(s_byValue).Subscribe(received.Add);

        cache.AddOrUpdate(new Item("a", 1));
        cache.AddOrUpdate(new Item("b", 0));

        Assert.Equal(["a"], received[0].SortedItems.Select(pair => pair.Key));
        Assert.Equal(["b", "a"], received[1].SortedItems.Select(pair => pair.Key));
    }

    [Fact]
    public void Sort_ComparerThrows_FailsTheChain()
    {
        var error = new InvalidOperationException("compare");
        var source = Source(At(300, Add("a", 1)), At(400, Add("b", 2)));

        var messages = Scheduler.Start(() => source.Sort(Comparer<Item>.Create((_, _) => throw error)).Select(Describe)).Messages;

        Assert.Equal([OnNext(300, "+a=1 | a"), OnError<string>(400, error)], messages);
    }
}
