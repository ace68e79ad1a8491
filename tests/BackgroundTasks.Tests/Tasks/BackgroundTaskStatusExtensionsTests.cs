namespace BackgroundTasks.Tests.Tasks;

public class BackgroundTaskStatusExtensionsTests
{
    [Theory]
    [InlineData(BackgroundTaskStatus.Running, "running")]
    [InlineData(BackgroundTaskStatus.Completed, "completed")]
    [InlineData(BackgroundTaskStatus.Failed, "failed")]
    [InlineData(BackgroundTaskStatus.Cancelled, "cancelled")]
    [InlineData(BackgroundTaskStatus.Queued, "queued")]
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
    [InlineData(BackgroundTaskStatus.Queued, false)]
    public void IsTerminal_EachValue_TrueOnlyForEndedStatuses(BackgroundTaskStatus status, bool expected) =>
        Assert.Equal(expected, status.IsTerminal());

    [Fact]
    public void Queued_IsAppended_WithValueFour()
    {
        // Appended, so numbers stored or sent by earlier code keep their meaning.
        Assert.Equal(4, (int)BackgroundTaskStatus.Queued);
    }

    [Fact]
    public void AsString_AllValues_Covered()
    {
        // Guards the theories above: a new enum member must get a wire name and a test.
        Assert.Equal(5, Enum.GetValues<BackgroundTaskStatus>().Length);
    }
}
