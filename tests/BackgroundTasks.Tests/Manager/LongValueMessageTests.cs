using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

/// <summary>Issue 9, defect 8: messages that quote a caller's value quote at most its start and say how long it was.</summary>
public sealed class LongValueMessageTests
{
    private const int MaxMessageLength = 300;
    private static readonly string s_huge = new('n', 1_000_000);

    [Fact]
    public async Task DuplicateName_MillionCharacterNameAndThread_MessageStaysShortAndGivesTheLengths()
    {
        await using var fixture = new ManagerFixture();
        await fixture.SpawnWaitingAsync(owner: s_huge, name: s_huge);

        var refused = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnWaitingAsync(owner: s_huge, name: s_huge));

        Assert.Equal(SpawnError.DuplicateName, refused.Error);
        Assert.Same(s_huge, refused.Name);
        Assert.InRange(refused.Message.Length, 1, MaxMessageLength);
        Assert.Contains(new string('n', Messages.MaxQuotedLength) + "… (1000000 characters)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReservedRunAndUnknownIdMessages_MillionCharacterValues_StayShort()
    {
        await using var fixture = new ManagerFixture();
        await fixture.Manager.CancelDescendantsForRunAsync(s_huge);

        var run = await Assert.ThrowsAsync<SpawnException>(() => fixture.SpawnWaitingAsync(parent: new TaskParentContext { RunId = s_huge }));
        var wait = await Assert.ThrowsAsync<KeyNotFoundException>(() => fixture.Manager.WaitAsync(s_huge));
        var send = await Assert.ThrowsAsync<SendException>(() => fixture.Manager.SendTaskInboxMessageAsync(s_huge, "t1", "a", "c"));

        Assert.Equal(SpawnError.ParentRunCancelled, run.Error);
        foreach (var message in new[] { run.Message, wait.Message, send.Message })
        {
            Assert.InRange(message.Length, 1, MaxMessageLength);
            Assert.Contains("(1000000 characters)", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Shorten_ShortValue_IsQuotedWhole()
    {
        var exact = new string('x', Messages.MaxQuotedLength);

        Assert.Same(exact, Messages.Shorten(exact));
        Assert.Equal("The name 'parent' is reserved; choose a name other than parent, self, all or broadcast.", Messages.ReservedName("parent"));
    }

    [Fact]
    public void Shorten_CutInsideASurrogatePair_KeepsThePairWhole()
    {
        var value = new string('x', Messages.MaxQuotedLength - 1) + "😀" + new string('y', 10);

        var shortened = Messages.Shorten(value);

        Assert.StartsWith(new string('x', Messages.MaxQuotedLength - 1) + "…", shortened, StringComparison.Ordinal);
    }
}
