using System.Reactive.Linq;
using BackgroundTasks.Caching;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>Every operator checks its arguments when it is called, not when it is subscribed to.</summary>
public sealed class OperatorArgumentTests
{
    private static readonly IObservable<IChangeSet<Item, string>> s_source = Observable.Never<IChangeSet<Item, string>>();
    private static readonly IObservable<IChangeSet<Item, string>> s_none = null!;
    private static readonly IComparer<Item> s_comparer = Comparer<Item>.Default;

    public static TheoryData<string, string, Action> NullArguments => new()
    {
        { "Filter", "source", () => s_none.Filter(_ => true) },
        { "Filter", "predicate", () => s_source.Filter((Func<Item, bool>)null!) },
        { "Filter(stream)", "source", () => s_none.Filter(Observable.Never<Func<Item, bool>>()) },
        { "Filter(stream)", "predicateChanged", () => s_source.Filter((IObservable<Func<Item, bool>>)null!) },
        { "Transform", "source", () => s_none.Transform(item => item) },
        { "Transform", "transform", () => s_source.Transform((Func<Item, Item>)null!) },
        { "Transform(key)", "source", () => s_none.Transform((item, _) => item) },
        { "Transform(key)", "transform", () => s_source.Transform((Func<Item, string, Item>)null!) },
        { "Group", "source", () => s_none.Group(item => item.Key) },
        { "Group", "groupKey", () => s_source.Group((Func<Item, string>)null!) },
        { "Sort", "source", () => s_none.Sort(s_comparer) },
        { "Sort", "comparer", () => s_source.Sort(null!) },
        { "Bind", "source", () => s_none.Bind(out _) },
        { "SortAndBind", "source", () => s_none.SortAndBind(out _, s_comparer) },
        { "SortAndBind", "comparer", () => s_source.SortAndBind(out _, null!) },
        { "QueryWhenChanged", "source", () => s_none.QueryWhenChanged() },
        { "ToCollection", "source", () => s_none.ToCollection() },
        { "AsObservableCache", "source", () => s_none.AsObservableCache() },
        { "MergeChangeSets", "source", () => ((IEnumerable<IObservable<IChangeSet<Item, string>>>)null!).MergeChangeSets() },
        { "MergeChangeSets(null element)", "source", () => new[] { s_source, s_none }.MergeChangeSets() },
        { "WhereReasonsAre", "source", () => s_none.WhereReasonsAre(ChangeReason.Add) },
        { "WhereReasonsAre", "reasons", () => s_source.WhereReasonsAre(null!) },
        { "OnItemAdded", "source", () => s_none.OnItemAdded(_ => { }) },
        { "OnItemAdded", "addAction", () => s_source.OnItemAdded(null!) },
        { "OnItemUpdated", "source", () => s_none.OnItemUpdated((_, _) => { }) },
        { "OnItemUpdated", "updateAction", () => s_source.OnItemUpdated(null!) },
        { "OnItemRemoved", "source", () => s_none.OnItemRemoved(_ => { }) },
        { "OnItemRemoved", "removeAction", () => s_source.OnItemRemoved(null!) },
    };

    [Theory]
    [MemberData(nameof(NullArguments))]
    public void Operator_NullArgument_ThrowsArgumentNullExceptionAtTheCall(string operatorName, string parameter, Action call)
    {
        Assert.NotNull(operatorName);
        Assert.Throws<ArgumentNullException>(parameter, call);
    }

    [Fact]
    public void MergeChangeSets_NullStream_NamesTheProblem()
    {
        var error = Assert.Throws<ArgumentNullException>("source", () => new[] { s_source, s_none }.MergeChangeSets());

        Assert.StartsWith(Messages.NullSourceStream, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhereReasonsAre_NoReason_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>("reasons", () => s_source.WhereReasonsAre());

        Assert.StartsWith(Messages.NoChangeReasons, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhereReasonsAre_UndefinedReason_ThrowsArgumentOutOfRangeException()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>("reasons", () => s_source.WhereReasonsAre((ChangeReason)42));

        Assert.StartsWith(Messages.UnknownChangeReason((ChangeReason)42), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Operators_NullObserver_Throws()
    {
        Assert.Throws<ArgumentNullException>("observer", () => s_source.Filter(_ => true).Subscribe(null!));
        Assert.Throws<ArgumentNullException>("observer", () => new[] { s_source }.MergeChangeSets().Subscribe(null!));
    }
}
