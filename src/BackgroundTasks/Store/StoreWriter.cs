using System.Threading.Channels;

namespace BackgroundTasks;

/// <summary>
/// The single writer between a <see cref="TaskStateStore"/> and its <see cref="ITaskStatePersistence"/>: a queue
/// that many threads write to and one loop drains, saving everything queued since its last save in one
/// <see cref="ITaskStatePersistence.SaveAsync"/> call (group commit).
/// </summary>
/// <remarks>
/// <para>
/// Batching is what keeps a durable store fast: while one transaction commits, the records written meanwhile
/// queue up and go into the next one, so a burst of N writes costs far fewer than N transactions. Each waiter
/// is released when its batch has committed.
/// </para>
/// <para>
/// A failed batch fails the waiters of its new Running records (their spawns fail) and keeps its other records
/// pending: they ride along with the next batch, or are retried alone after a delay that doubles with every
/// failure. Every failure is reported. The loop is also the only place that prunes a durable store, so a
/// record is never removed from the cache while a write of it is being built into a batch.
/// </para>
/// <para>
/// Everything not under "the queue" is touched only by the loop, one step at a time, and needs no lock.
/// </para>
/// </remarks>
internal sealed partial class StoreWriter
{
    /// <summary>At most this many queued writes go into one transaction, so one batch cannot grow without bound.</summary>
    private const int MaxBatch = 2048;

    private readonly TaskStateStore _store;
    private readonly ITaskStatePersistence _persistence;
    private readonly ITaskStateRemoval? _removal;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _firstRetryDelay;
    private readonly TimeSpan _maxRetryDelay;

    // The queue. Its reader's continuations run on the thread pool (synchronous continuations are off), so
    // the loop never runs on a writer's thread.
    private readonly Channel<StoreWork> _queue =
        Channel.CreateUnbounded<StoreWork>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Task _loop;

    // Loop only.
    private readonly List<StoreWork> _batch = [];
    private readonly List<TaskCompletionSource<int>> _pruneWaiters = [];
    private readonly Dictionary<string, TaskSummary> _unsaved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unremoved = new(StringComparer.Ordinal);
    private ITimer? _retryTimer;
    private int _failures;
    private Exception? _lastFailure;
    private bool _closed;

    public StoreWriter(TaskStateStore store, ITaskStatePersistence persistence, TaskStateStoreOptions options)
    {
        _store = store;
        _persistence = persistence;
        _removal = persistence as ITaskStateRemoval;
        _timeProvider = options.TimeProvider;
        _firstRetryDelay = options.RetryDelay;
        _maxRetryDelay = options.MaxRetryDelay;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a new Running record; the task completes when it is durable, or faults with what the persistence threw.</summary>
    /// <exception cref="ObjectDisposedException">The writer is closed.</exception>
    public Task InsertAsync(TaskSummary running)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(StoreWork.Insert(running, written));
        return written.Task;
    }

    /// <summary>Queues a changed record; the task completes when it is durable or its first attempt has failed. Never faults.</summary>
    /// <exception cref="ObjectDisposedException">The writer is closed.</exception>
    public Task UpdateAsync(TaskSummary summary)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(StoreWork.Update(summary, written));
        return written.Task;
    }

    /// <summary>Queues changed records; as <see cref="UpdateAsync(TaskSummary)"/> for the last of them, which is attempted last.</summary>
    /// <exception cref="ObjectDisposedException">The writer is closed.</exception>
    public Task UpdateAsync(IReadOnlyList<TaskSummary> summaries)
    {
        for (var i = 0; i < summaries.Count - 1; i++)
        {
            Enqueue(StoreWork.Update(summaries[i], null));
        }

        return summaries.Count == 0 ? Task.CompletedTask : UpdateAsync(summaries[^1]);
    }

    /// <summary>Queues a prune; the task gives how many records left the cache.</summary>
    /// <exception cref="ObjectDisposedException">The writer is closed.</exception>
    public Task<int> PruneAsync()
    {
        var pruned = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(StoreWork.Prune(pruned));
        return pruned.Task;
    }

    /// <summary>Queues a prune nobody waits for (the store's prune timer); does nothing once closed.</summary>
    public void RequestPrune() => _queue.Writer.TryWrite(StoreWork.Prune(null));

    /// <summary>
    /// Stops taking work, lets the loop finish what is queued, then tries once more what is still pending.
    /// </summary>
    /// <exception cref="TaskStatePersistenceException">Some records could not be saved or removed; it names them.</exception>
    public async Task CloseAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _closed = true;
        _retryTimer?.Dispose();

        if (_unsaved.Count > 0)
        {
            await SaveAsync(batchHasWork: false).ConfigureAwait(false);
        }

        if (_unremoved.Count > 0)
        {
            await RemoveAsync().ConfigureAwait(false);
        }

        if (_unsaved.Count > 0 || _unremoved.Count > 0)
        {
            string[] ids = [.. _unsaved.Keys, .. _unremoved];
            throw new TaskStatePersistenceException(Messages.FlushFailed(ids, _lastFailure?.Message ?? string.Empty), ids, _lastFailure);
        }
    }

    private void Enqueue(StoreWork work)
    {
        // The queue refuses work only once the store's disposal has closed it.
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(work), _store);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var retryDue = false;
            var pruneDue = false;
            while (_batch.Count < MaxBatch && reader.TryRead(out var work))
            {
                switch (work.Kind)
                {
                    case StoreWork.WorkKind.Retry:
                        retryDue = true;
                        break;
                    case StoreWork.WorkKind.Prune:
                        pruneDue = true;
                        if (work.Pruned is { } waiter)
                        {
                            _pruneWaiters.Add(waiter);
                        }

                        break;
                    default:
                        _batch.Add(work);
                        break;
                }
            }

            // Pending records ride along with every batch; alone, they wait for their retry to be due.
            if (_batch.Count > 0 || (retryDue && _unsaved.Count > 0))
            {
                await SaveAsync(_batch.Count > 0).ConfigureAwait(false);
                _batch.Clear();
            }

            if (pruneDue)
            {
                await PruneOnLoopAsync().ConfigureAwait(false);
            }
            else if (retryDue && _unremoved.Count > 0)
            {
                await RemoveAsync().ConfigureAwait(false);
            }
        }
    }
}
