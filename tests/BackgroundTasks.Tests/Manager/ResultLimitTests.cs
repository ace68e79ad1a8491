using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

/// <summary>Issue 9, defect 1: what a result (or an error) may weigh is bounded before it reaches the store.</summary>
public sealed class ResultLimitTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Create_MaxResultBytesBelowOne_Throws(long limit)
    {
        var options = new BackgroundTaskManagerOptions { MaxResultBytes = limit };

        Assert.Throws<ArgumentOutOfRangeException>("MaxResultBytes", () => new BackgroundTaskManager(options));
        using var store = new TaskStateStore();
        Assert.Throws<ArgumentOutOfRangeException>("MaxResultBytes", () => new BackgroundTaskManager(store, options));
    }

    [Fact]
    public void Options_MaxResultBytes_DefaultsTo16MiB() =>
        Assert.Equal(16L * 1024 * 1024, new BackgroundTaskManagerOptions().MaxResultBytes);

    [Fact]
    public async Task Result_OverTheLimit_EndsFailedNamingTheSizeAndTheLimitAndStoresNoResult()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { MaxResultBytes = 100 });
        var (sender, receiver) = Inbox.Create();
        fixture.Manager.SetOwnerInbox(sender);

        // "x" × 99 in quotes is 101 bytes of JSON; "é" is two bytes in UTF-8, so 50 of them in quotes are 102.
        var ascii = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(new string('x', 99))));
        var wide = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Success(ManagerFixture.Json("\"" + new string('é', 50) + "\""))));

        var asciiEnd = await fixture.Manager.WaitAsync(ascii).Guarded();
        var wideEnd = await fixture.Manager.WaitAsync(wide).Guarded();

        Assert.Equal(BackgroundTaskStatus.Failed, asciiEnd.Status);
        Assert.Null(asciiEnd.Result);
        Assert.Equal(Messages.ResultTooLarge(101, 100), asciiEnd.Error);
        Assert.Contains("101 bytes", asciiEnd.Error, StringComparison.Ordinal);
        Assert.Contains("100 bytes", asciiEnd.Error, StringComparison.Ordinal);
        Assert.Equal(Messages.ResultTooLarge(102, 100), wideEnd.Error);
        Assert.Equal(asciiEnd, fixture.Store.Lookup(ascii));
        Assert.Contains(receiver.Drain(), e => e is TaskEvent.Failed failed && failed.TaskId == ascii && failed.Error == asciiEnd.Error);
    }

    [Fact]
    public async Task Result_AtTheLimit_IsKept()
    {
        await using var fixture = new ManagerFixture(new BackgroundTaskManagerOptions { MaxResultBytes = 100 });

        var id = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Success(new string('x', 98))));

        var end = await fixture.Manager.WaitAsync(id).Guarded();
        Assert.Equal(BackgroundTaskStatus.Completed, end.Status);
        Assert.Equal(new string('x', 98), end.Result!.Value.GetString());
    }

    [Fact]
    public async Task Error_MillionCharactersReturnedOrThrown_IsCutAndSaysItsLength()
    {
        await using var fixture = new ManagerFixture();
        var huge = new string('e', 1_000_000);

        var returned = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None, _ => Task.FromResult(TaskResult.Failed(huge)));
        var thrown = await fixture.Manager.SpawnAsync("t1", "x", null, "d", TaskParentContext.None,
            _ => Task.FromException<TaskResult>(new InvalidOperationException(huge)));

        foreach (var id in new[] { returned, thrown })
        {
            var error = (await fixture.Manager.WaitAsync(id).Guarded()).Error!;
            Assert.InRange(error.Length, Messages.MaxErrorLength, Messages.MaxErrorLength + 100);
            Assert.StartsWith(new string('e', Messages.MaxErrorLength), error, StringComparison.Ordinal);
            Assert.EndsWith("(error truncated from 1000000 characters)", error, StringComparison.Ordinal);
        }
    }
}
