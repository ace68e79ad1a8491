namespace BackgroundTasks.Benchmarks.Peer;

/// <summary>What a <see cref="TaskActor"/> reports to the sink when its body has ended.</summary>
internal sealed record TaskDone(string TaskId, BackgroundTaskStatus Status);
