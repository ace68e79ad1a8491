using BackgroundTasks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace BackgroundTasks.Tests.Controls;

/// <summary>A manager on virtual time, with its events recorded and its log awaitable.</summary>
internal sealed class VirtualTime : IAsyncDisposable
{
    public VirtualTime(TimeSpan? shutdownGrace = null)
    {
        Fixture = new ManagerFixture(new BackgroundTaskManagerOptions
        {
            TimeProvider = Clock,
            Logger = Log,
            ShutdownGrace = shutdownGrace ?? TimeSpan.Zero,
        });
        Events = new EventRecorder(Fixture.Manager);
    }

    public FakeTimeProvider Clock { get; } = new();

    public AwaitingLogger Log { get; } = new();

    public ManagerFixture Fixture { get; }

    public BackgroundTaskManager Manager => Fixture.Manager;

    public TaskStateStore Store => Fixture.Store;

    public EventRecorder Events { get; }

    public Task<string> SpawnAsync(SpawnOptions options, Func<TaskContext, Task<TaskResult>> body, string? name = null, TaskParentContext? parent = null) =>
        Manager.SpawnAsync("t1", "work", name, "a controlled task", parent ?? TaskParentContext.None, options, body);

    public Task<TaskSummary> WaitAsync(string taskId) => Manager.WaitAsync(taskId).Guarded();

    public TaskSummary Record(string taskId) => Store.Lookup(taskId) ?? throw new InvalidOperationException($"No record of {taskId}.");

    public async ValueTask DisposeAsync()
    {
        Events.Dispose();
        await Fixture.DisposeAsync();
    }
}
