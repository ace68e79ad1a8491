using System.Diagnostics;

namespace BackgroundTasks;

/// <summary>
/// Turns a body's progress reports into record writes: newest wins, at most one write in flight, and none after the
/// task's end has begun, so the terminal record (which carries the last progress) is never overwritten by a report.
/// </summary>
/// <remarks>
/// <para>
/// A report while a write is in flight only replaces the value to write; the write's owner then writes the newest value
/// once more. With a store in memory a write completes at once, so every report is written, on the reporting thread.
/// With a durable store a write completes when it is saved, so a body that reports 10,000 times costs about one row
/// write per commit of the store's writer, not 10,000, and the call never waits for the disk.
/// </para>
/// <para>
/// The write runs store code that calls observers, so it happens outside the lock; <see cref="CloseAsync"/> waits for
/// a write in flight before the terminal record is built, which orders every progress write before the terminal one.
/// </para>
/// </remarks>
internal sealed class ProgressReporter(TaskRuntime? runtime)
{
    private readonly Lock _lock = new();
    private TaskProgress? _latest;
    private bool _writing;
    private bool _dirty;
    private bool _closed;
    private TaskCompletionSource? _idle;

    /// <summary>The reporter of every task that ended without a report: closed, with no progress.</summary>
    public static ProgressReporter Closed { get; } = new(null) { _closed = true };

    /// <summary>The last reported progress; null when none was reported.</summary>
    public TaskProgress? Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    /// <summary>The progress a context reports, checked at the context's public entry point.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is NaN or outside [0, 1].</exception>
    public static TaskProgress Validated(double? fraction, string? message)
    {
        if (fraction is { } value && !(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), value, Messages.ProgressOutOfRange(value));
        }

        return new TaskProgress(fraction, message);
    }

    public void Report(TaskProgress progress)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _latest = progress;
            if (_writing)
            {
                _dirty = true;
                return;
            }

            _writing = true;
        }

        _ = WriteLatestAsync();
    }

    /// <summary>Refuses later reports and waits for a write in flight; returns the last reported progress.</summary>
    public ValueTask<TaskProgress?> CloseAsync()
    {
        Task idle;
        lock (_lock)
        {
            _closed = true;
            if (!_writing)
            {
                return new ValueTask<TaskProgress?>(_latest);
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }

        return WaitAsync(idle);

        async ValueTask<TaskProgress?> WaitAsync(Task idle)
        {
            await idle.ConfigureAwait(false);
            return Latest;
        }
    }

    /// <summary>Writes the newest value until no newer one came meanwhile. Only the owner of the flight runs it.</summary>
    private async Task WriteLatestAsync()
    {
        while (true)
        {
            TaskProgress? progress;
            lock (_lock)
            {
                Debug.Assert(_writing);
                progress = _latest;
                _dirty = false;
            }

            try
            {
                await runtime!.WriteProgressAsync(progress).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // A disposed store, or a failed save (a durable store retries it); the body must not see it.
                runtime!.ReportProgressFault(exception);
            }

            lock (_lock)
            {
                if (!_dirty || _closed)
                {
                    _writing = false;
                    _idle?.TrySetResult();
                    return;
                }
            }
        }
    }
}
