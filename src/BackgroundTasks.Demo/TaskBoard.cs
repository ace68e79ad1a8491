using System.Globalization;
using System.Reactive.Linq;
using System.Text.Json;
using BackgroundTasks.Caching;

namespace BackgroundTasks.Demo;

/// <summary>
/// The demo's model of one owner thread, fed only by the library's observables: <see cref="BackgroundTaskManager.Connect"/>
/// (or, across a cluster, <c>ConnectThread</c>) for records (spawns and status changes) and
/// <see cref="BackgroundTaskManager.Events"/> (or <c>ObserveThreadEvents</c>) for progress. Every
/// change becomes a journal line such as <c>[t+0.12s] bg_3 fetch      progress 40%</c>.
/// </summary>
internal sealed class TaskBoard : IDisposable
{
    /// <summary>The custom event whose <c>note</c> the board shows as a line of narration.</summary>
    public const string NarrationEvent = "narration";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskRow> _rows = new(StringComparer.Ordinal);

    // Progress that arrived before the task's record did (the two streams are delivered independently).
    private readonly Dictionary<string, int> _earlyPercent = new(StringComparer.Ordinal);
    private readonly List<string> _journal = [];
    private readonly long _started;
    private readonly string _prefix;

    // The database keeps earlier runs' tasks of the same owner thread; the board shows this run's only.
    private readonly DateTimeOffset _startedAt = TimeProvider.System.GetUtcNow();
    private readonly Action<string> _onLine;
    private readonly IDisposable _records;
    private readonly IDisposable _events;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="manager">The manager whose tasks to show.</param>
    /// <param name="ownerThreadId">The owner thread to follow.</param>
    /// <param name="onLine">Called with each journal line, one at a time, in journal order.</param>
    public TaskBoard(BackgroundTaskManager manager, string ownerThreadId, Action<string> onLine)
        : this(manager.Connect(ownerThreadId), manager.Events, onLine, string.Empty, TimeProvider.System.GetTimestamp())
    {
    }

    /// <param name="records">The thread's records: a snapshot, then changes (Connect, or ConnectThread across a cluster).</param>
    /// <param name="events">The thread's events (only custom ones are shown).</param>
    /// <param name="onLine">Called with each journal line, one at a time, in journal order.</param>
    /// <param name="prefix">Put before each line's text (after its time), to tell several boards' lines apart.</param>
    /// <param name="started">The timestamp the lines' times count from, so several boards share one clock.</param>
    public TaskBoard(IObservable<IChangeSet<TaskSummary, string>> records, IObservable<TaskEvent> events, Action<string> onLine, string prefix, long started)
    {
        _onLine = onLine;
        _prefix = prefix;
        _started = started;
        _records = records.Subscribe(OnChanges);
        _events = events.OfType<TaskEvent.Custom>().Subscribe(OnCustom);
    }

    /// <summary>Completes at the next change; the live view redraws then.</summary>
    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    public TimeSpan Elapsed => TimeProvider.System.GetElapsedTime(_started);

    public IReadOnlyList<TaskRow> Rows
    {
        get
        {
            lock (_lock)
            {
                return [.. _rows.Values.OrderBy(row => row.Summary.CreatedAt).ThenBy(row => row.TaskId.Length).ThenBy(row => row.TaskId, StringComparer.Ordinal)];
            }
        }
    }

    public IReadOnlyList<string> LastLines(int count)
    {
        lock (_lock)
        {
            return [.. _journal.Skip(Math.Max(0, _journal.Count - count))];
        }
    }

    /// <summary>Adds a line of the lead's own narration.</summary>
    public void Narrate(string text) => Write(null, text);

    /// <summary>Completes once the board's rows satisfy <paramref name="condition"/> (at once if they do now).</summary>
    /// <exception cref="TimeoutException">They did not within <paramref name="guard"/>.</exception>
    public async Task WhenAsync(Func<IReadOnlyList<TaskRow>, bool> condition, TimeSpan guard)
    {
        var start = TimeProvider.System.GetTimestamp();
        while (true)
        {
            // Taken before the check, so a change between the check and the wait is not missed.
            var changed = Changed;
            if (condition(Rows))
            {
                return;
            }

            var left = guard - TimeProvider.System.GetElapsedTime(start);
            await changed.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _records.Dispose();
        _events.Dispose();
    }

    private void OnChanges(IChangeSet<TaskSummary, string> changes)
    {
        foreach (var change in changes)
        {
            var summary = change.Current;
            if (summary.CreatedAt < _startedAt)
            {
                continue;
            }

            string? line = null;
            if (change.Reason == ChangeReason.Add)
            {
                var parent = summary.ParentContext.TaskId is { } parentId ? " under " + parentId : string.Empty;
                line = Format("{0} {1,-10} spawned{2}: {3}", summary.TaskId, summary.TaskType, parent, summary.Name ?? summary.Description);
            }
            else if (summary.Status.IsTerminal() && change.Previous?.Status != summary.Status)
            {
                line = summary.Status switch
                {
                    BackgroundTaskStatus.Failed => Format("{0} failed: {1}", summary.TaskId, summary.Error),
                    BackgroundTaskStatus.Cancelled => Format("{0} cancelled", summary.TaskId),
                    _ => Format("{0} completed in {1:0.00}s", summary.TaskId, (summary.CompletedAt - summary.CreatedAt)?.TotalSeconds),
                };
            }

            Write(summary, line);
        }
    }

    private void OnCustom(TaskEvent.Custom message)
    {
        if (message.EventType == "progress" && message.Payload.TryGetProperty("percent", out var percent))
        {
            var value = percent.GetInt32();
            string type;
            lock (_lock)
            {
                if (_rows.TryGetValue(message.TaskId, out var row))
                {
                    _rows[message.TaskId] = row with { Percent = Math.Max(row.Percent, value) };
                    type = row.Summary.TaskType;
                }
                else
                {
                    _earlyPercent[message.TaskId] = value;
                    type = "task";
                }
            }

            Write(null, Format("{0} {1,-10} progress {2}%", message.TaskId, type, value));
        }
        else if (message.Payload.ValueKind == JsonValueKind.Object && message.Payload.TryGetProperty("note", out var note))
        {
            // A narration is a whole line of its own (a body on a silo cannot reach the board's Narrate).
            Write(null, message.EventType == NarrationEvent ? note.GetString() : Format("{0} {1}: {2}", message.TaskId, message.EventType, note.GetString()));
        }
    }

    private void Write(TaskSummary? summary, string? text)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (summary is not null)
            {
                var percent = _rows.TryGetValue(summary.TaskId, out var row) ? row.Percent
                    : _earlyPercent.Remove(summary.TaskId, out var early) ? early : 0;
                _rows[summary.TaskId] = new TaskRow(summary, summary.Status == BackgroundTaskStatus.Completed ? 100 : percent);
            }

            if (text is not null)
            {
                var line = Format("[t+{0:0.00}s] {1}{2}", Elapsed.TotalSeconds, _prefix, text);
                _journal.Add(line);

                // Written under the lock (it is the demo's own writer, not user code), so the output keeps the
                // journal's order and its timestamps never go backwards.
                _onLine(line);
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
    }

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
