namespace BackgroundTasks.Tests.Controls;

public sealed class RetryDelaysTests
{
    private static readonly TimeSpan s_second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(RetryBackoff.Constant, 1, 1)]
    [InlineData(RetryBackoff.Constant, 7, 1)]
    [InlineData(RetryBackoff.Linear, 1, 1)]
    [InlineData(RetryBackoff.Linear, 4, 4)]
    [InlineData(RetryBackoff.Exponential, 1, 1)]
    [InlineData(RetryBackoff.Exponential, 4, 8)]
    public void For_WithoutJitter_IsTheBackoffOfTheDelay(RetryBackoff backoff, int retry, int seconds)
    {
        var policy = new RetryPolicy { Delay = s_second, Backoff = backoff };

        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryDelays.For(policy, retry, random: 0.9));
    }

    [Theory]
    [InlineData(0.0, 1000)]
    [InlineData(0.5, 1125)]
    [InlineData(0.999999, 1249.99975)]
    public void For_WithJitter_AddsUpToAQuarter(double random, double milliseconds)
    {
        var policy = new RetryPolicy { Delay = s_second, Backoff = RetryBackoff.Constant, UseJitter = true };

        Assert.Equal(milliseconds, RetryDelays.For(policy, 1, random).TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void For_MaxDelay_CapsTheDelayJitterIncluded()
    {
        var policy = new RetryPolicy { Delay = s_second, UseJitter = true, MaxDelay = TimeSpan.FromSeconds(3) };

        Assert.Equal(TimeSpan.FromSeconds(2.5), RetryDelays.For(policy, 2, random: 1));
        Assert.Equal(TimeSpan.FromSeconds(3), RetryDelays.For(policy, 3, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(3), RetryDelays.For(policy, 30, random: 0.5));
    }

    [Fact]
    public void For_HugeExponent_SaturatesInsteadOfOverflowing()
    {
        var policy = new RetryPolicy { Delay = s_second };

        Assert.Equal(TimeSpan.MaxValue, RetryDelays.For(policy, 200, random: 0));
        Assert.Equal(TimeSpan.MaxValue, RetryDelays.For(policy, int.MaxValue, random: 0));
        Assert.Equal(TimeSpan.Zero, RetryDelays.For(policy with { Delay = TimeSpan.Zero }, 200, random: 0));
    }
}
