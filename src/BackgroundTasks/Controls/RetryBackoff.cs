namespace BackgroundTasks;

/// <summary>How a <see cref="RetryPolicy"/>'s delay grows: for the n-th retry (n = 1 before the second attempt).</summary>
public enum RetryBackoff
{
    /// <summary><see cref="RetryPolicy.Delay"/> every time.</summary>
    Constant,

    /// <summary><see cref="RetryPolicy.Delay"/> × n.</summary>
    Linear,

    /// <summary><see cref="RetryPolicy.Delay"/> × 2^(n-1).</summary>
    Exponential,
}
