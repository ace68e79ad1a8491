using System.Reactive.Concurrency;
using System.Reactive.Linq;
using BackgroundTasks.Caching;
using BackgroundTasks.Tests.Reactive;
using static BackgroundTasks.Tests.Caching.Operators.Changes;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>Group: DynamicData's GroupFixture scenarios, over a cache and in virtual time.</summary>
public sealed partial class GroupTests : OperatorTest, IDisposable
{
    private readonly SourceCache<Item, string> _cache = new(item => item.Key);

    public void Dispose() => _cache.Dispose();

    private static string Parity(Item item) => item.Value % 2 == 0 ? "even" : "odd";

    private static string ShowGroup(IGroup<Item, string, string> group) => ChangeText.Items(group.Cache.Items);

    [Fact]
    public void Group_FirstItem_AddsItsGroupWithTheItemAlreadyInIt()
    {
        var source = Source(At(300, Add("a", 1)));

        Assert.Equal([OnNext(300, "+odd=a=1")], Record(() => source.Group(Parity), ShowGroup));
    }

    [Fact]
    public void Group_BatchOfOneGroupKey_AddsOneGroup()
    {
        var source = Source(At(300, Add("a", 2), Add("b", 4), Add("c", 6)));

        Assert.Equal([OnNext(300, "+even=a=2 b=4 c=6")], Record(() => source.Group(Parity), ShowGroup));
    }

    [Fact]
    public void Group_BatchOfDifferentGroupKeys_AddsEachGroupInOneChangeSet()
    {
        var source = Source(At(300, Add("a", 1), Add("b", 2), Add("c", 3)));

        Assert.Equal([OnNext(300, "+odd=a=1 c=3 +even=b=2")], Record(() => source.Group(Parity), ShowGroup));
    }

    [Fact]
    public void Group_UpdateThatStaysInItsGroup_SendsNoGroupChangeSetButUpdatesTheGroup()
    {
        var source = Source(At(300, Add("a", 1)), At(400, Update("a", 3, 1)));
        IGroup<Item, string, string>? odd = null;

        var messages = Record(() => source.Group(Parity).Do(changes => odd = changes[0].Current), ShowGroup);

        Assert.Equal([OnNext(300, "+odd=a=1")], messages);
        Assert.Equal("a=3", ChangeText.Items(odd!.Cache.Items));
    }

    [Fact]
    public void Group_UpdateThatChangesTheGroupKey_MovesTheItemAndRemovesTheEmptiedGroup()
    {
        var source = Source(At(300, Add("a", 1), Add("b", 3)), At(400, Update("a", 2, 1)), At(500, Update("b", 4, 3)));

        var messages = Record(() => source.Group(Parity), ShowGroup);

        // The odd group's Remove shows it emptied: the item left it before the change set went out.
        Assert.Equal([OnNext(300, "+odd=a=1 b=3"), OnNext(400, "+even=a=2"), OnNext(500, "-odd=")], messages);
    }

    [Fact]
    public void Group_RemoveOfTheLastMember_RemovesTheGroupAndCompletesItsStreams()
    {
        _cache.AddOrUpdate(new Item("a", 1));
        var groups = new TestObserver<IChangeSet<IGroup<Item, string, string>, string>>();
        using var subscription = _cache.Connect().Group(Parity).Subscribe(groups);
        var members = new TestObserver<IChangeSet<Item, string>>();
        using var membership = groups.Values[0][0].Current.Cache.Connect().Subscribe(members);

        _cache.Remove("a");

        Assert.Equal(ChangeReason.Remove, Assert.Single(groups.Values[1]).Reason);
        Assert.Equal(["+a=1", "-a=1"], members.Values.Select(ChangeText.Of));
        Assert.True(members.IsCompleted);
    }

    [Fact]
    public void Group_NewGroupsCache_AlreadyHoldsItsMembersWhenTheAddArrives()
    {
        var seen = new List<string>();
        using var subscription = _cache.Connect().Group(Parity).Subscribe(changes =>
        {
            foreach (var change in changes.Where(c => c.Reason == ChangeReason.Add))
            {
                seen.Add($"{change.Key}:{ChangeText.Items(change.Current.Cache.Items)}");
            }
        });

        _cache.AddOrUpdate([new Item("a", 1), new Item("b", 2), new Item("c", 3)]);

        Assert.Equal(["odd:a=1 c=3", "even:b=2"], seen);
    }

    [Fact]
    public void Group_MoveWithinOneEdit_OldGroupSeesTheRemoveBeforeTheNewGroupArrives()
    {
        _cache.AddOrUpdate([new Item("a", 1), new Item("b", 3)]);
        var log = new List<string>();
        IGroup<Item, string, string>? odd = null;
        using var subscription = _cache.Connect().Group(Parity).Subscribe(changes =>
        {
            odd ??= changes[0].Current;
            log.Add("groups " + ChangeText.Of(changes, ShowGroup));
        });
        using var oddMembers = odd!.Cache.Connect().Subscribe(changes => log.Add("odd " + ChangeText.Of(changes)));

        _cache.AddOrUpdate(new Item("a", 2));

        Assert.Equal(["groups +odd=a=1 b=3", "odd +a=1 +b=3", "odd -a=1", "groups +even=a=2"], log);
    }

    [Fact]
    public void Group_AddClearAddInOneEdit_EndsWithOneGroupHoldingTheLastItem()
    {
        // DynamicData's "Kaboom": the same key twice in one batch, cleared and added again within one edit.
        var view = new ChangeSetView<IGroup<Item, string, string>, string>();
        using var subscription = _cache.Connect().Group(Parity).Subscribe(view.Apply);

        _cache.Edit(updater =>
        {
            updater.AddOrUpdate([new Item("a", 1), new Item("a", 2)]);
            updater.Remove("a");
            updater.AddOrUpdate([new Item("a", 1), new Item("a", 2)]);
        });

        Assert.Empty(view.Errors);
        var group = Assert.Single(view.Items).Value;
        Assert.Equal("even", group.Key);
        Assert.Equal("a=2", ChangeText.Items(group.Cache.Items));
    }

    [Fact]
    public void Group_RefreshOfAnItemChangedInPlace_MovesIt()
    {
        var item = new MutableItem("a", 1);
        var source = Scheduler.CreateHotObservable(
            OnNext(300, MutableItem.Set(ChangeReason.Add, item)),
            OnNext(400, MutableItem.Set(ChangeReason.Refresh, item)));
        Scheduler.ScheduleAbsolute(350, () => item.Value = 2);

        var messages = Record(() => source.Group(i => i.Value % 2 == 0 ? "even" : "odd"), g => string.Join(',', g.Cache.Keys));

        Assert.Equal([OnNext(300, "+odd=a"), OnNext(400, "-odd= +even=a")], messages);
    }

    [Fact]
    public void Group_TransformedAndBound_EachGroupsViewFollowsItsMembers()
    {
        // DynamicData's "add item after update item": a view model per group, each with its own bound list.
        using var subscription = _cache.Connect()
            .Group(item => item.Key[..1])
            .Transform(group => new GroupView(group))
            .Bind(out var groups)
            .Subscribe();

        _cache.AddOrUpdate(new Item("adam", 1));
        var first = Assert.Single(groups);
        Assert.Single(first.Members);

        _cache.Edit(updater =>
        {
            updater.AddOrUpdate(new Item("adam", 3));
            updater.AddOrUpdate(new Item("alfred", 1));
        });

        Assert.Same(first, Assert.Single(groups));
        Assert.Equal(["adam=3", "alfred=1"], first.Members.Select(item => $"{item.Key}={item.Value}").Order());
    }

    /// <summary>A group's view model: its key and a list bound to its members.</summary>
    private sealed class GroupView : IDisposable
    {
        private readonly IDisposable _binding;

        public GroupView(IGroup<Item, string, string> group)
        {
            _binding = group.Cache.Connect().Bind(out var members).Subscribe();
            Members = members;
        }

        public System.Collections.ObjectModel.ReadOnlyObservableCollection<Item> Members { get; }

        public void Dispose() => _binding.Dispose();
    }
}
