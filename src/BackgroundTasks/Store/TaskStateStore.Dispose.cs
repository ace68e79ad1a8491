using System.Runtime.ExceptionServices;

namespace BackgroundTasks;

public sealed partial class TaskStateStore
{
    /// <summary>
    /// Disposes the store: a durable store first writes what is still pending, then its cache completes every
    /// subscriber, later writes fail, and the persistence it owns is disposed.
    /// </summary>
    /// <returns>A task that completes when the store is closed.</returns>
    /// <remarks>
    /// Dispose the manager that writes to the store first, so that every task's terminal record is written.
    /// Records whose save failed before are tried once more; the persistence is disposed whether that works or not.
    /// Only the first call does the work; later calls return at once.
    /// </remarks>
    /// <exception cref="TaskStatePersistenceException">Some records could not be written; <see cref="TaskStatePersistenceException.TaskIds"/> names them.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _pruneTimer?.Dispose();
        ExceptionDispatchInfo? flushFailure = null;
        try
        {
            if (_writer is not null)
            {
                try
                {
                    await _writer.CloseAsync().ConfigureAwait(false);
                }
                catch (TaskStatePersistenceException exception)
                {
                    flushFailure = ExceptionDispatchInfo.Capture(exception);
                }
            }

            _cache.Dispose();
            _faults.OnCompleted();
        }
        finally
        {
            if (_persistence is not null)
            {
                await _persistence.DisposeAsync().ConfigureAwait(false);
            }
        }

        flushFailure?.Throw();
    }

    /// <summary>
    /// Disposes the store as <see cref="DisposeAsync"/> does. For a durable store this blocks until pending
    /// writes are flushed; prefer <c>await using</c> there.
    /// </summary>
    /// <exception cref="TaskStatePersistenceException">Some records could not be written; it names them.</exception>
    public void Dispose()
    {
        if (_writer is null)
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _pruneTimer?.Dispose();
                _cache.Dispose();
                _faults.OnCompleted();
            }

            return;
        }

        // The writer's loop runs on the thread pool and never needs this thread, so blocking cannot deadlock.
        DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
