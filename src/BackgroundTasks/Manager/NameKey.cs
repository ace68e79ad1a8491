namespace BackgroundTasks;

/// <summary>A name as claimed by a running task: unique per owner thread.</summary>
internal readonly record struct NameKey(string OwnerThreadId, string Name);
