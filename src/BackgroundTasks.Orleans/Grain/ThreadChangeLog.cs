using System.Threading.Channels;
using BackgroundTasks.Caching;

namespace BackgroundTasks.Orleans;

/// <summary>
/// One activation's numbered change stream of its thread's store, with the current records and the latest batches,
/// so a reconnecting observer resumes after its cursor with no gap and no duplicate.
/// </summary>
/// <remarks>
/// The log is the store's one <c>Connect</c> subscriber for the activation; the store never calls it concurrently.
/// Readers are channels: a new reader gets its replay (or a snapshot) before it is registered, under the lock, and a
/// batch is written to the registered readers after the lock is released, skipping readers whose start already
/// covers it. A reader that is cancelled, or the activation's end, completes its channel.
/// </remarks>
internal sealed class ThreadChangeLog : IObserver<IChangeSet<TaskSummary, string>>, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskSummary> _current = new(StringComparer.Ordinal);
    private readonly Queue<ThreadChangeBatch> _retained = new();
    private readonly int _capacity;
    private readonly IDisposable _subscription;
    private Reader[] _readers = [];
    private long _version;
    private bool _completed;

    public ThreadChangeLog(IObservableCache<TaskSummary, string> tasks, int capacity)
    {
        _capacity = capacity;
        Epoch = Guid.NewGuid().ToString("N");
        _subscription = tasks.Connect().Subscribe(this);
    }

    /// <summary>How many readers are registered now.</summary>
    internal int ReaderCount
    {
        get
        {
            lock (_lock)
            {
                return _readers.Length;
            }
        }
    }

    /// <summary>This activation's id: a cursor from another epoch gets a snapshot.</summary>
    public string Epoch { get; }

    /// <summary>Opens a reader: its replay after <paramref name="cursor"/>, or a snapshot, then every later batch.</summary>
    public ChannelReader<ThreadChangeBatch> Open(ThreadCursor cursor, CancellationToken cancellationToken)
    {
        var reader = new Reader(Channel.CreateUnbounded<ThreadChangeBatch>(new UnboundedChannelOptions { SingleReader = true }));
        lock (_lock)
        {
            reader.Start = _version;
            if (cursor.Epoch == Epoch && cursor.Version <= _version && CanReplayAfter(cursor.Version))
            {
                foreach (var batch in _retained)
                {
                    if (batch.Version > cursor.Version)
                    {
                        reader.Channel.Writer.TryWrite(batch);
                    }
                }
            }
            else
            {
                reader.Channel.Writer.TryWrite(Snapshot());
            }

            if (_completed)
            {
                reader.Channel.Writer.TryComplete();
            }
            else
            {
                _readers = [.. _readers, reader];
            }
        }

        reader.Registration = cancellationToken.Register(static state =>
        {
            var (log, reader) = ((ThreadChangeLog, Reader))state!;
            log.Close(reader);
        }, (this, reader));
        return reader.Channel.Reader;
    }

    public void OnNext(IChangeSet<TaskSummary, string> value)
    {
        var changes = new TaskChange[value.Count];
        for (var i = 0; i < value.Count; i++)
        {
            changes[i] = new TaskChange(value[i].Reason, value[i].Current);
        }

        ThreadChangeBatch batch;
        Reader[] readers;
        lock (_lock)
        {
            batch = new ThreadChangeBatch { Epoch = Epoch, Version = ++_version, Changes = changes };
            foreach (var change in changes)
            {
                if (change.Reason == ChangeReason.Remove)
                {
                    _current.Remove(change.Current.TaskId);
                }
                else
                {
                    _current[change.Current.TaskId] = change.Current;
                }
            }

            _retained.Enqueue(batch);
            while (_retained.Count > _capacity)
            {
                _retained.Dequeue();
            }

            readers = _readers;
        }

        foreach (var reader in readers)
        {
            if (batch.Version > reader.Start)
            {
                reader.Channel.Writer.TryWrite(batch);
            }
        }
    }

    public void OnError(Exception error) => Complete(error);

    public void OnCompleted() => Complete(null);

    /// <summary>Ends every reader; later readers get their snapshot and end.</summary>
    public void Dispose()
    {
        _subscription.Dispose();
        Complete(null);
    }

    private void Complete(Exception? error)
    {
        Reader[] readers;
        lock (_lock)
        {
            _completed = true;
            readers = _readers;
            _readers = [];
        }

        foreach (var reader in readers)
        {
            reader.Channel.Writer.TryComplete(error);
            reader.Registration.Dispose();
        }
    }

    private void Close(Reader reader)
    {
        lock (_lock)
        {
            _readers = Array.FindAll(_readers, r => !ReferenceEquals(r, reader));
        }

        reader.Channel.Writer.TryComplete();
    }

    /// <summary>Whether every batch after <paramref name="version"/> is still retained.</summary>
    private bool CanReplayAfter(long version) =>
        version == _version || (_retained.Count > 0 && _retained.Peek().Version <= version + 1);

    private ThreadChangeBatch Snapshot()
    {
        var adds = new TaskChange[_current.Count];
        var i = 0;
        foreach (var summary in _current.Values)
        {
            adds[i++] = new TaskChange(ChangeReason.Add, summary);
        }

        return new ThreadChangeBatch { Epoch = Epoch, Version = _version, IsSnapshot = true, Changes = adds };
    }

    private sealed class Reader(Channel<ThreadChangeBatch> channel)
    {
        public Channel<ThreadChangeBatch> Channel { get; } = channel;

        public long Start { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
