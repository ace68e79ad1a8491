namespace BackgroundTasks.Tests.Store;

/// <summary>
/// An in-memory <see cref="ITaskStatePersistence"/> that records every call. Set <see cref="Failure"/> and it
/// becomes the throwing test double: every save and removal throws it, and changes nothing.
/// <see cref="HoldSaves"/> makes saves wait for a gate, so a test can pile writes up behind a save in flight.
/// </summary>
internal sealed class FakePersistence : ITaskStatePersistence, ITaskStateRemoval
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskSummary> _records = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyList<TaskSummary>> _saves = [];
    private readonly List<IReadOnlyList<string>> _removals = [];
    private readonly TaskCompletionSource _firstSaveStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Func<TaskSummary, bool> Match, TaskCompletionSource Done)> _watches = [];
    private readonly List<(string TaskId, TaskCompletionSource Done)> _removalWatches = [];
    private Task _gate = Task.CompletedTask;
    private TaskCompletionSource? _nextSaveStarted;
    private int _disposals;

    public FakePersistence(params TaskSummary[] stored)
    {
        foreach (var record in stored)
        {
            _records[record.TaskId] = record;
        }
    }

    /// <summary>When set, every save and removal throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>
    /// When set, a save that holds a record it matches throws <see cref="Refusal"/> and saves nothing, as SQLite
    /// refuses a whole transaction over one value past its length limit; saves without such a record work.
    /// </summary>
    public Func<TaskSummary, bool>? Refuses { get; set; }

    public Exception Refusal { get; } = new IOException("string or blob too big");

    public int Disposals => Volatile.Read(ref _disposals);

    /// <summary>Completes when a save has started (and, under <see cref="HoldSaves"/>, is waiting for the gate).</summary>
    public Task FirstSaveStarted => _firstSaveStarted.Task;

    /// <summary>The records of every save call, failed ones included.</summary>
    public IReadOnlyList<IReadOnlyList<TaskSummary>> Saves
    {
        get
        {
            lock (_lock)
            {
                return [.. _saves];
            }
        }
    }

    public IReadOnlyList<IReadOnlyList<string>> Removals
    {
        get
        {
            lock (_lock)
            {
                return [.. _removals];
            }
        }
    }

    /// <summary>Completes when a successful save has stored a record that matches.</summary>
    public Task WhenStored(Func<TaskSummary, bool> match)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_records.Values.Any(match))
            {
                return Task.CompletedTask;
            }

            _watches.Add((match, done));
        }

        return done.Task;
    }

    /// <summary>Completes when a successful removal has deleted <paramref name="taskId"/>.</summary>
    public Task WhenRemoved(string taskId)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_removals.Any(ids => ids.Contains(taskId)) && !_records.ContainsKey(taskId))
            {
                return Task.CompletedTask;
            }

            _removalWatches.Add((taskId, done));
        }

        return done.Task;
    }

    /// <summary>Completes when the next save call starts (and, under <see cref="HoldSaves"/>, is waiting for the gate).</summary>
    public Task NextSaveStarted()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _nextSaveStarted, started);
        return started.Task;
    }

    /// <summary>Saves wait for <paramref name="gate"/> from now on.</summary>
    public void HoldSaves(Task gate) => _gate = gate;

    public TaskSummary? Stored(string taskId)
    {
        lock (_lock)
        {
            return _records.GetValueOrDefault(taskId);
        }
    }

    public IReadOnlyList<TaskSummary> AllStored()
    {
        lock (_lock)
        {
            return [.. _records.Values];
        }
    }

    public Task<IReadOnlyList<TaskSummary>> LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(AllStored());
    }

    public async Task SaveAsync(IReadOnlyList<TaskSummary> changed, CancellationToken cancellationToken = default)
    {
        _firstSaveStarted.TrySetResult();
        Interlocked.Exchange(ref _nextSaveStarted, null)?.TrySetResult();
        await _gate;
        lock (_lock)
        {
            _saves.Add([.. changed]);
            if (Failure is { } failure)
            {
                throw failure;
            }

            if (Refuses is { } refuses && changed.Any(refuses))
            {
                throw Refusal;
            }

            foreach (var record in changed)
            {
                _records[record.TaskId] = record;
            }

            for (var i = _watches.Count - 1; i >= 0; i--)
            {
                if (changed.Any(_watches[i].Match))
                {
                    _watches[i].Done.TrySetResult();
                    _watches.RemoveAt(i);
                }
            }
        }
    }

    public Task RemoveAsync(IReadOnlyList<string> taskIds, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _removals.Add([.. taskIds]);
            if (Failure is { } failure)
            {
                throw failure;
            }

            foreach (var taskId in taskIds)
            {
                _records.Remove(taskId);
            }

            foreach (var watch in _removalWatches.Where(w => taskIds.Contains(w.TaskId)).ToList())
            {
                watch.Done.TrySetResult();
                _removalWatches.Remove(watch);
            }
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _disposals);
        return ValueTask.CompletedTask;
    }
}
