namespace BackgroundTasks.Tests.Manager;

public sealed class SpawnExceptionTests
{
    [Fact]
    public void Constructor_WithError_SetsEveryProperty()
    {
        var cause = new InvalidOperationException("disk full");

        var error = new SpawnException(SpawnError.State, "not stored", name: "solo", runId: "run-1", innerException: cause);

        Assert.Equal((SpawnError.State, "not stored", "solo", "run-1"), (error.Error, error.Message, error.Name, error.RunId));
        Assert.Same(cause, error.InnerException);
    }

    [Fact]
    public void Constructor_WithErrorOnly_LeavesTheDetailsNull()
    {
        var error = new SpawnException(SpawnError.QueueFull, "full");

        Assert.Equal((SpawnError.QueueFull, (string?)null, (string?)null), (error.Error, error.Name, error.RunId));
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void Constructor_UndefinedError_ThrowsOutOfRange()
    {
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => new SpawnException((SpawnError)42, "m"));

        Assert.Equal("error", thrown.ParamName);
        Assert.Equal((SpawnError)42, thrown.ActualValue);
        Assert.StartsWith(Messages.UndefinedValue(nameof(SpawnError)), thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullMessage_Throws()
    {
        Assert.Equal("message", Assert.Throws<ArgumentNullException>(() => new SpawnException(SpawnError.DuplicateName, null!)).ParamName);
    }

    [Fact]
    public void EarlierConstructors_BehaveAsBefore()
    {
        Assert.Equal(("The task could not be spawned.", SpawnError.ReservedName), (new SpawnException().Message, new SpawnException().Error));
        Assert.Equal(SpawnError.ReservedName, new SpawnException("m").Error);
        Assert.Equal(SpawnError.State, new SpawnException("m", null).Error);
    }

    [Fact]
    public async Task ManagerRefusal_CarriesItsErrorAndName()
    {
        await using var manager = new BackgroundTaskManager(new TaskStateStore());

        var refused = await Assert.ThrowsAsync<SpawnException>(() => manager.SpawnAsync("t1", "x", "self", "d", TaskParentContext.None,
            _ => Task.FromResult(TaskResult.Success(0))));

        Assert.Equal((SpawnError.ReservedName, "self", Messages.ReservedName("self")), (refused.Error, refused.Name, refused.Message));
    }
}
