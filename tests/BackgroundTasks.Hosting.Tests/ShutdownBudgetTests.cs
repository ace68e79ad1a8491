namespace BackgroundTasks.Hosting.Tests;

public sealed class ShutdownBudgetTests
{
    public static TheoryData<TimeSpan, TimeSpan> Budgets => new()
    {
        { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1.5) },
        { TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(25) },
        { TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(15) },
        { TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(5) },
        { TimeSpan.FromMilliseconds(4), TimeSpan.FromMilliseconds(3) },
        { TimeSpan.Zero, TimeSpan.Zero },
        { TimeSpan.FromSeconds(-3), TimeSpan.Zero },
        { Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan },
    };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void GraceFor_HoldsBackAQuarterOfTheTimeout_AtMostFiveSeconds(TimeSpan shutdownTimeout, TimeSpan grace) =>
        Assert.Equal(grace, ShutdownBudget.GraceFor(shutdownTimeout));
}
