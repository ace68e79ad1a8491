using System.Collections.Concurrent;
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
/// queue up and go into the next one, so a burst of N writes costs far fewer than N transactions.
/// </para>
/// <para>
/// A changed record enters the cache only after its first save attempt (cache after save): a crash can then
/// never take back what an observer has seen, unless the save failed and was reported. The loop hands each
/// attempt's records to a publisher flow that applies them to the cache in attempt order (so two writes of a
/// task enter it in the order they were written) and then releases their waiters; the loop goes on saving
/// meanwhile, so a slow cache observer delays what it observes, not the saves.
/// </para>
/// <para>
/// A failed batch is split to find the records the persistence refuses (StoreWriter.Isolation.cs): every
/// other record is saved, and a refused one stays pending, is reported, and after
/// <see cref="TaskStateStoreOptions.MaxRecordRefusals"/> refusals is replaced by a small Failed stand-in.
/// When nothing of an attempt can be saved the persistence is down: its new Running records fail their spawns,
/// and the rest stays pending, retried with the next batch or after a delay that doubles with each failure.
/// </para>
/// <para>
/// The loop is also the only place that prunes a durable store, in slices (StoreWriter.Removal.cs). Everything
/// not under "the queue" or "shared" is touched only by the loop, one step at a time, and needs no lock.
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
    private readonly int _maxRefusals;

    // The queue. Its reader's continuations run on the thread pool (synchronous continuations are off), so
    // the loop never runs on a writer's thread.
    private readonly Channel<StoreWork> _queue =
        Channel.CreateUnbounded<StoreWork>(new UnboundedChannelOptions { SingleReader = true });

    // Shared: what the loop hands the publisher, and the ids the cache evicted (by the per-owner cap) that the
    // loop must delete from the persistence.
    private readonly Channel<Publication> _publications =
        Channel.CreateUnbounded<Publication>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly ConcurrentQueue<string> _evicted = new();

    private readonly Task _loop;
    private readonly Task _publisher;

    // Loop only.
    private readonly List<StoreWork> _batch = [];
    private readonly Dictionary<string, TaskSummary> _unsaved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _refusals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _standIns = new(StringComparer.Ordinal);
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
        _maxRefusals = options.MaxRecordRefusals;
        _loop = Task.Run(RunAsync);
        _publisher = Task.Run(PublishAsync);
    }

    /// <summary>Queues a new Running record; the task completes when it is durable, or faults with what the persistence threw.</summary>
    /// <exception cref="ObjectDisposedException">The writer is closed.</exception>
    public Task InsertAsync(TaskSummary running)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(StoreWork.Insert(running, written));
        return written.Task;
    }

    /// <summary>
    /// Queues a changed record; the task completes once the record is in the cache: after it is durable, or
    /// after its first attempt has failed (then it is retried). Never faults.
    /// </summary>
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

    /// <summary>Takes ids the cache evicted (they were saved and are now over the per-owner cap) to delete from the persistence.</summary>
    /// <remarks>Any thread. After the writer is closed they are still removed by <see cref="CloseAsync"/>.</remarks>
    public void Forget(List<string> evicted)
    {
        foreach (var taskId in evicted)
        {
            _evicted.Enqueue(taskId);
        }

        _queue.Writer.TryWrite(StoreWork.WakeUp);
    }

    /// <summary>
    /// Stops taking work, lets the loop and the publisher finish what is queued, then tries once more what is
    /// still pending.
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

        _publications.Writer.TryComplete();
        await _publisher.ConfigureAwait(false);
        await FinishRemovalsOnCloseAsync().ConfigureAwait(false);

        if (_unsaved.Count > 0 || _unremoved.Count > 0)
        {
            string[] ids = [.. _unsaved.Keys, .. _unremoved];
            var reason = _lastFailure?.Message ?? string.Empty;
            throw new TaskStatePersistenceException(Messages.FlushFailed(ids, [.. _unsaved.Values], reason), ids, _lastFailure);
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
                    case StoreWork.WorkKind.Wake:
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

            await PruneStepAsync(pruneDue, retryDue).ConfigureAwait(false);
        }
    }
}
