namespace BackgroundTasks.Benchmarks;

/// <summary>The floor's record of a task: its id, its status, and its token source while it runs.</summary>
internal sealed record FloorRecord(string TaskId, BackgroundTaskStatus Status, CancellationTokenSource? Cancellation);
