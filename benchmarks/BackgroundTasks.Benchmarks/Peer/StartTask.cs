namespace BackgroundTasks.Benchmarks.Peer;

/// <summary>Tells a <see cref="TaskActor"/> to run its body.</summary>
internal sealed record StartTask(string TaskId);
