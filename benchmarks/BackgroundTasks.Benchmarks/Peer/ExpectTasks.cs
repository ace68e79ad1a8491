namespace BackgroundTasks.Benchmarks.Peer;

/// <summary>Arms the sink: complete <paramref name="Done"/> once <paramref name="Count"/> tasks have reported.</summary>
internal sealed record ExpectTasks(int Count, TaskCompletionSource Done);
