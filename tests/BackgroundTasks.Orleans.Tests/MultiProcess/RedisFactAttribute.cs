namespace BackgroundTasks.Orleans.Tests.MultiProcess;

/// <summary>
/// A test that needs the Redis server named by <see cref="Variable"/>: skipped, saying why, when the variable is not
/// set (a developer's machine); <c>.ci/run</c> always sets it, and the test then fails if the server cannot be reached.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public const string Variable = "BACKGROUNDTASKS_REDIS";

    public RedisFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set: it names the Redis server (host:port) the multi-process failover test clusters through; .ci/run starts one and sets it.";
        }
    }

    /// <summary>The server's address, as the variable gives it.</summary>
    public static string Address => Environment.GetEnvironmentVariable(Variable)!;
}
