using BackgroundTasks.Caching;
using static BackgroundTasks.Tests.Caching.Operators.Changes;

namespace BackgroundTasks.Tests.Caching.Operators;

/// <summary>Transform: DynamicData's TransformFixture scenarios, in virtual time.</summary>
public sealed class TransformTests : OperatorTest
{
    private static string Show(Label label) => label.Text;

    [Fact]
    public void Transform_Add_MakesTheDestinationItem()
    {
        var source = Source(At(300, Add("a", 1)));

        var messages = Record(() => source.Transform(item => new Label($"#{item.Value}")), Show);

        Assert.Equal([OnNext(300, "+a=#1")], messages);
    }

    [Fact]
    public void Transform_Update_ReTransformsWithTheOldDestinationAsPrevious()
    {
        var source = Source(At(300, Add("a", 1)), At(400, Update("a", 2, 1)));

        var messages = Record(() => source.Transform(item => new Label($"#{item.Value}")), Show);

        Assert.Equal([OnNext(300, "+a=#1"), OnNext(400, "~a=#2/#1")], messages);
    }

    [Fact]
    public void Transform_Remove_RemovesTheDestinationItemMade()
    {
        var source = Source(At(300, Add("a", 1)), At(400, Remove("a", 1)));

        var messages = Record(() => source.Transform(item => new Label($"#{item.Value}")), Show);

        Assert.Equal([OnNext(300, "+a=#1"), OnNext(400, "-a=#1")], messages);
    }

    [Fact]
    public void Transform_Refresh_IsPassedOnWithoutReTransforming()
    {
        int calls = 0;
        var source = Source(At(300, Add("a", 1)), At(400, Refresh("a", 1)));

        var messages = Record(() => source.Transform(item => new Label($"#{item.Value}:{++calls}")), Show);

        Assert.Equal([OnNext(300, "+a=#1:1"), OnNext(400, "*a=#1:1")], messages);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Transform_BatchOfChangesToOneKey_KeepsTheirOrder()
    {
        var source = Source(At(300, Add("a", 1), Update("a", 2, 1), Remove("a", 2), Add("a", 3)));

        var messages = Record(() => source.Transform(item => new Label($"#{item.Value}")), Show);

        Assert.Equal([OnNext(300, "+a=#1 ~a=#2/#1 -a=#2 +a=#3")], messages);
    }

    [Fact]
    public void Transform_WithKey_PassesTheKey()
    {
        var source = Source(At(300, Add("a", 1), Add("b", 2)));

        var messages = Record(() => source.Transform((item, key) => new Label($"{key}{item.Value}")), Show);

        Assert.Equal([OnNext(300, "+a=a1 +b=b2")], messages);
    }

    [Fact]
    public void Transform_Throws_FailsTheChain()
    {
        var error = new InvalidOperationException("transform");
        var source = Source(At(300, Add("a", 1)));

        var messages = Record(() => source.Transform<Item, string, Label>(_ => throw error), Show);

        Assert.Equal([OnError<string>(300, error)], messages);
    }

    [Fact]
    public void Transform_ReturnsNull_FailsWithAClearError()
    {
        var source = Source(At(300, Add("a", 1)));

        var failure = Assert.Single(Record(() => source.Transform(_ => (Label)null!), Show)).Value;

        Assert.Equal(Messages.TransformReturnedNull("a"), Assert.IsType<InvalidOperationException>(failure.Exception).Message);
    }

    [Fact]
    public void Transform_OverACache_FollowsItsContents()
    {
        using var cache = new SourceCache<Item, string>(item => item.Key);
        cache.AddOrUpdate([new Item("a", 1), new Item("b", 2)]);
        var view = new ChangeSetView<Label, string>();
        using var subscription = cache.Connect().Transform(item => new Label($"#{item.Value}")).Subscribe(view.Apply);

        cache.AddOrUpdate(new Item("a", 5));
        cache.Remove("b");

        Assert.Empty(view.Errors);
        Assert.Equal("#5", Assert.Single(view.Items).Value.Text);
    }

    /// <summary>A destination type distinct from the source's.</summary>
    private sealed record Label(string Text);
}
