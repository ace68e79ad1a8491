using BackgroundTasks.Caching;
using static BackgroundTasks.Tests.Caching.Operators.Changes;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>
/// The compact change set Transform emits over the source's own change set: it must read as the change set it
/// replaces (reasons, keys, destinations, counts), and be used only when it can.
/// </summary>
public sealed class ProjectedChangeSetTests
{
    private static readonly Label One = new("#1");
    private static readonly Label Two = new("#2");

    [Fact]
    public void TryOver_OneChange_ReadsAsThatChange()
    {
        var source = Set(Update("a", 2, 1));

        var set = ProjectedChangeSet<Item, string, Label>.TryOver(source, [new(ChangeReason.Update, "a", Two, One)]);

        Assert.NotNull(set);
        Assert.Equal([new Change<Label, string>(ChangeReason.Update, "a", Two, One)], set);
        Assert.Equal((1, 0, 1, 0, 0), (set.Count, set.Adds, set.Updates, set.Removes, set.Refreshes));
        Assert.Throws<ArgumentOutOfRangeException>(() => set[1]);
    }

    [Fact]
    public void TryOver_OneAdd_ReadsAsThatChange()
    {
        var set = ProjectedChangeSet<Item, string, Label>.TryOver(Set(Add("a", 1)), [new(ChangeReason.Add, "a", One, null)]);

        Assert.NotNull(set);
        Assert.Equal([new Change<Label, string>(ChangeReason.Add, "a", One, null)], set);
        Assert.Equal((1, 1, 0, 0, 0), (set.Count, set.Adds, set.Updates, set.Removes, set.Refreshes));
    }

    [Fact]
    public void TryOver_AnUpdateAndAnEviction_ReadsAsBoth()
    {
        var source = Set(Update("a", 2, 1), Remove("b", 1));
        Change<Label, string>[] made = [new(ChangeReason.Update, "a", Two, One), new(ChangeReason.Remove, "b", One, null)];

        var set = ProjectedChangeSet<Item, string, Label>.TryOver(source, [.. made]);

        Assert.NotNull(set);
        Assert.Equal(made, set);
        Assert.Equal(made[1], set[1]);
        Assert.Equal((2, 0, 1, 1, 0), (set.Count, set.Adds, set.Updates, set.Removes, set.Refreshes));
        Assert.Equal("ChangeSet: 0 adds, 1 updates, 1 removes, 0 refreshes", set.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => set[2]);
    }

    [Fact]
    public void TryOver_AReasonChanged_Declines()
    {
        // An Add of a key the transform already held comes out as an Update.
        var source = Set(Add("a", 2));

        Assert.Null(ProjectedChangeSet<Item, string, Label>.TryOver(source, [new(ChangeReason.Update, "a", Two, One)]));
    }

    [Fact]
    public void TryOver_AChangeDropped_Declines()
    {
        var source = Set(Add("a", 1), Remove("b", 1));

        Assert.Null(ProjectedChangeSet<Item, string, Label>.TryOver(source, [new(ChangeReason.Add, "a", One, null)]));
    }

    [Fact]
    public void TryOver_NothingOrMoreThanTwo_Declines()
    {
        Assert.Null(ProjectedChangeSet<Item, string, Label>.TryOver(Set(), []));
        Assert.Null(ProjectedChangeSet<Item, string, Label>.TryOver(
            Set(Add("a", 1), Add("b", 1), Add("c", 1)),
            [new(ChangeReason.Add, "a", One, null), new(ChangeReason.Add, "b", One, null), new(ChangeReason.Add, "c", One, null)]));
    }

    [Fact]
    public void TryOver_TwoUpdates_Declines()
    {
        var source = Set(Update("a", 2, 1), Update("b", 2, 1));

        Assert.Null(ProjectedChangeSet<Item, string, Label>.TryOver(
            source,
            [new(ChangeReason.Update, "a", Two, One), new(ChangeReason.Update, "b", Two, One)]));
    }

    [Fact]
    public void TryOver_ASourceOfAnotherType_Declines()
    {
        // Only the library's own change set is known to be immutable.
        IChangeSet<Item, string> foreign = new ForeignChangeSet { Add("a", 1) };

        Assert.Null(ProjectedChangeSet<Item, string, Label>.TryOver(foreign, [new(ChangeReason.Add, "a", One, null)]));
    }

    [Fact]
    public void Transform_AnEditOfTwoChanges_EmitsBothInOneChangeSet()
    {
        using var cache = new SourceCache<Item, string>(item => item.Key);
        var received = new List<IChangeSet<Label, string>>();
        using var subscription = cache.Connect().Transform(item => new Label($"#{item.Value}")).Subscribe(received.Add);

        cache.AddOrUpdate(new Item("a", 1));
        cache.Edit(updater =>
        {
            updater.AddOrUpdate(new Item("a", 2));
            updater.Remove("a");
        });

        Assert.Equal(["+a=#1", "~a=#2/#1 -a=#2"], received.Select(set => ChangeText.Of(set, label => label.Text)));
        Assert.Same(received[1][0].Current, received[1][1].Current);
    }

    [Fact]
    public void Transform_AChangeSetTheLibraryDidNotMake_IsTransformedIntoACopy()
    {
        using var source = new System.Reactive.Subjects.Subject<IChangeSet<Item, string>>();
        var received = new List<IChangeSet<Label, string>>();
        using var subscription = source.Transform(item => new Label($"#{item.Value}")).Subscribe(received.Add);

        source.OnNext(new ForeignChangeSet { Add("a", 1), Add("b", 2) });
        source.OnNext(new ForeignChangeSet { Update("a", 3, 1) });

        Assert.Equal(["+a=#1 +b=#2", "~a=#3/#1"], received.Select(set => ChangeText.Of(set, label => label.Text)));
        Assert.All(received, set => Assert.IsType<ChangeSet<Label, string>>(set));
    }

    /// <summary>A destination type distinct from the source's.</summary>
    private sealed record Label(string Text);

    /// <summary>A change set the library did not make.</summary>
    private sealed class ForeignChangeSet : List<Change<Item, string>>, IChangeSet<Item, string>
    {
        public int Adds => this.Count(change => change.Reason == ChangeReason.Add);

        public int Updates => this.Count(change => change.Reason == ChangeReason.Update);

        public int Removes => this.Count(change => change.Reason == ChangeReason.Remove);

        public int Refreshes => this.Count(change => change.Reason == ChangeReason.Refresh);
    }
}
