namespace BackgroundTasks.Demo;

/// <summary>One source a fetch task reads, and how that goes.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="Speed">A factor on the nominal step time: above 1 is slower.</param>
/// <param name="FailAtPercent">The progress at which the source fails, if it does.</param>
/// <param name="StallAtPercent">The progress at which the source rate-limits the fetch until it is cancelled, if it does.</param>
internal sealed record SourcePlan(string Source, double Speed = 1.0, int? FailAtPercent = null, int? StallAtPercent = null);
