using System.Text.Json;

namespace BackgroundTasks.Tests.TestSupport;

/// <summary>A manager on a fresh in-memory store, disposed with the test.</summary>
internal sealed class ManagerFixture : IAsyncDisposable
{
    public ManagerFixture(BackgroundTaskManagerOptions? options = null)
    {
        Store = new TaskStateStore();
        Manager = new BackgroundTaskManager(Store, options);
    }

    public TaskStateStore Store { get; }

    public BackgroundTaskManager Manager { get; }

    /// <summary>Spawns a task that waits for cancellation, then reports it.</summary>
    public Task<string> SpawnWaitingAsync(string owner = "t1", string? name = null, TaskParentContext? parent = null) =>
        Manager.SpawnAsync(owner, "wait", name, "waits for cancellation", parent ?? TaskParentContext.None, async context =>
        {
            await context.WhenCancelled();
            context.CancellationToken.ThrowIfCancellationRequested();
            return TaskResult.Cancelled;
        });

    /// <summary>Spawns a task that completes with <paramref name="value"/> once <paramref name="gate"/> opens.</summary>
    public Task<string> SpawnGatedAsync(Task gate, string owner = "t1", string? name = null, object? value = null) =>
        Manager.SpawnAsync(owner, "gated", name, "waits for a gate", TaskParentContext.None, async _ =>
        {
            await gate;
            return TaskResult.Success(value ?? "done");
        });

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        Store.Dispose();
    }
}
