using StackExchange.Redis;

namespace BackgroundTasks.Orleans.Tests.MultiProcess;

/// <summary>
/// Watches Redis for the next write of one thread's records (keyspace notifications on the hash the Redis grain
/// storage keeps them in), so a test learns that a silo saved them without making any call to the thread itself.
/// </summary>
internal sealed class StorageWrites : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly RedisChannel _channel;
    private readonly TaskCompletionSource<DateTimeOffset> _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _armed;

    private StorageWrites(ConnectionMultiplexer connection, RedisChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    /// <summary>Completes with the wall-clock time of the first write after <see cref="Arm"/>.</summary>
    public Task<DateTimeOffset> Written => _written.Task;

    /// <summary>Subscribes to writes of <paramref name="ownerThreadId"/>'s records in cluster <paramref name="serviceId"/>.</summary>
    public static async Task<StorageWrites> WatchAsync(string redis, string serviceId, string ownerThreadId)
    {
        var options = ConfigurationOptions.Parse(redis);
        options.AllowAdmin = true;
        var connection = await ConnectionMultiplexer.ConnectAsync(options);

        // Keyspace events for hash commands: the storage writes a thread's records with HSET.
        await connection.GetServers().Single().ConfigSetAsync("notify-keyspace-events", "Kh");
        var key = $"{serviceId}/state/backgroundtaskthread/{ownerThreadId}/backgroundtasks";
        var writes = new StorageWrites(connection, RedisChannel.Literal("__keyspace@0__:" + key));
        await connection.GetSubscriber().SubscribeAsync(writes._channel, (_, _) =>
        {
            if (writes._armed)
            {
                writes._written.TrySetResult(DateTimeOffset.UtcNow);
            }
        });
        return writes;
    }

    /// <summary>From now on a write counts (the ones before were the spawns the test made).</summary>
    public void Arm() => _armed = true;

    public async ValueTask DisposeAsync()
    {
        await _connection.GetSubscriber().UnsubscribeAsync(_channel);
        await _connection.DisposeAsync();
    }
}
