namespace BackgroundTasks.Tests.Manager;

public sealed class SendExceptionTests
{
    [Fact]
    public void Constructor_WithError_SetsEveryProperty()
    {
        var error = new SendException(SendError.TaskTerminated, "ended", BackgroundTaskStatus.Cancelled);

        Assert.Equal((SendError.TaskTerminated, "ended", (BackgroundTaskStatus?)BackgroundTaskStatus.Cancelled), (error.Error, error.Message, error.TerminalStatus));
    }

    [Fact]
    public void Constructor_WithErrorOnly_HasNoTerminalStatus()
    {
        var error = new SendException(SendError.InboxClosed, "closed");

        Assert.Equal((SendError.InboxClosed, (BackgroundTaskStatus?)null), (error.Error, error.TerminalStatus));
    }

    [Fact]
    public void Constructor_UndefinedError_ThrowsOutOfRange()
    {
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => new SendException((SendError)(-1), "m"));

        Assert.Equal("error", thrown.ParamName);
        Assert.StartsWith(Messages.UndefinedValue(nameof(SendError)), thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BackgroundTaskStatus.Running)]
    [InlineData(BackgroundTaskStatus.Queued)]
    [InlineData((BackgroundTaskStatus)99)]
    public void Constructor_StatusNotTerminal_ThrowsOutOfRange(BackgroundTaskStatus status)
    {
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => new SendException(SendError.TaskTerminated, "m", status));

        Assert.Equal("terminalStatus", thrown.ParamName);
        Assert.StartsWith(Messages.NotTerminalStatus(status), thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullMessage_Throws()
    {
        Assert.Equal("message", Assert.Throws<ArgumentNullException>(() => new SendException(SendError.NoInbox, null!)).ParamName);
    }

    [Fact]
    public void EarlierConstructors_BehaveAsBefore()
    {
        Assert.Equal("The message could not be delivered.", new SendException().Message);
        Assert.Equal((SendError.TaskNotFound, (BackgroundTaskStatus?)null), (new SendException("m", null).Error, new SendException("m").TerminalStatus));
    }
}
