namespace BackgroundTasks.Tests.Store;

/// <summary>The statuses a store's observers saw for one task, through <c>Connect</c> and through <c>Watch</c>, in order.</summary>
internal sealed class StatusLog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<BackgroundTaskStatus> _connected = [];
    private readonly List<BackgroundTaskStatus> _watched = [];
    private readonly IDisposable _connection;
    private readonly IDisposable _watch;

    private StatusLog(TaskStateStore store, string taskId)
    {
        _connection = store.Tasks.Connect().Subscribe(changes =>
        {
            lock (_lock)
            {
                _connected.AddRange(changes.Where(change => change.Key == taskId).Select(change => change.Current.Status));
            }
        });
        _watch = store.Tasks.Watch(taskId).Subscribe(change =>
        {
            lock (_lock)
            {
                _watched.Add(change.Current.Status);
            }
        });
    }

    public IReadOnlyList<BackgroundTaskStatus> Connected
    {
        get
        {
            lock (_lock)
            {
                return [.. _connected];
            }
        }
    }

    public IReadOnlyList<BackgroundTaskStatus> Watched
    {
        get
        {
            lock (_lock)
            {
                return [.. _watched];
            }
        }
    }

    /// <summary>Logs what the observers of <paramref name="store"/> see of <paramref name="taskId"/> from now on.</summary>
    public static StatusLog Of(TaskStateStore store, string taskId = "bg_0") => new(store, taskId);

    /// <summary>Fails when a non-terminal status follows a terminal one.</summary>
    public static void AssertNeverReopened(IReadOnlyList<BackgroundTaskStatus> statuses)
    {
        var ended = false;
        foreach (var status in statuses)
        {
            Assert.False(ended && !status.IsTerminal(), $"seen {string.Join(", ", statuses)}: {status} after the end");
            ended |= status.IsTerminal();
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _watch.Dispose();
    }
}
