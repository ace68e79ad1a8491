using System.Threading.Channels;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Controls;

/// <summary>Records a manager's <see cref="BackgroundTaskManager.Events"/> and lets a test await them one by one.</summary>
internal sealed class EventRecorder : IDisposable
{
    private readonly Channel<TaskEvent> _pending = Channel.CreateUnbounded<TaskEvent>();
    private readonly Lock _lock = new();
    private readonly List<TaskEvent> _all = [];
    private readonly IDisposable _subscription;

    public EventRecorder(BackgroundTaskManager manager) =>
        _subscription = manager.Events.Subscribe(new Observer(this));

    public IReadOnlyList<TaskEvent> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _all];
            }
        }
    }

    public IReadOnlyList<TaskEvent> Of(string taskId) => [.. All.Where(message => message.TaskId == taskId)];

    /// <summary>The next event not yet taken (of any task), guarded against hangs.</summary>
    public async Task<TaskEvent> NextAsync() => await _pending.Reader.ReadAsync().AsTask().Guarded();

    /// <summary>The next custom event of the given type, skipping others.</summary>
    public async Task<TaskEvent.Custom> NextCustomAsync(string eventType)
    {
        while (true)
        {
            if (await NextAsync() is TaskEvent.Custom custom && custom.EventType == eventType)
            {
                return custom;
            }
        }
    }

    public void Dispose() => _subscription.Dispose();

    private sealed class Observer(EventRecorder recorder) : IObserver<TaskEvent>
    {
        public void OnNext(TaskEvent value)
        {
            lock (recorder._lock)
            {
                recorder._all.Add(value);
            }

            recorder._pending.Writer.TryWrite(value);
        }

        public void OnError(Exception error) => recorder._pending.Writer.TryComplete(error);

        public void OnCompleted() => recorder._pending.Writer.TryComplete();
    }
}
