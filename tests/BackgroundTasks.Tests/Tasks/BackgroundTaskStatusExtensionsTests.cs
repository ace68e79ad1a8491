namespace BackgroundTasks.Tests.Tasks;

public class BackgroundTaskStatusExtensionsTests
{
    [Theory]
    [InlineData(BackgroundTaskStatus.Running, "running")]
    [InlineData(BackgroundTaskStatus.Completed, "completed")]
    [InlineData(BackgroundTaskStatus.Failed, "failed")]
    [InlineData(BackgroundTaskStatus.Cancelled, "cancelled")]
    public void AsString_DefinedValue_ReturnsWireName(BackgroundTaskStatus status, string expected) =>
        Assert.Equal(expected, status.AsString());

    [Fact]
    public void AsString_UndefinedValue_ThrowsArgumentOutOfRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ((BackgroundTaskStatus)42).AsString());

        Assert.Equal("status", ex.ParamName);
        Assert.Contains("42", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BackgroundTaskStatus.Running, false)]
    [InlineData(BackgroundTaskStatus.Completed, true)]
    [InlineData(BackgroundTaskStatus.Failed, true)]
    [InlineData(BackgroundTaskStatus.Cancelled, true)]
    public void IsTerminal_EachValue_TrueForAllButRunning(BackgroundTaskStatus status, bool expected) =>
        Assert.Equal(expected, status.IsTerminal());

    [Fact]
    public void AsString_AllValues_Covered()
    {
        // Guards the theories above: a new enum member must get a wire name and a test.
        Assert.Equal(4, Enum.GetValues<BackgroundTaskStatus>().Length);
    }
}
