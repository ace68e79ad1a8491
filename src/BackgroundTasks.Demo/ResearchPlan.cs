namespace BackgroundTasks.Demo;

/// <summary>What one research sub-agent is asked to do.</summary>
/// <param name="Name">The agent's task name.</param>
/// <param name="Topic">What it researches.</param>
/// <param name="Sources">Where it fetches from, one fetch task each.</param>
/// <param name="AwaitsGuidance">Whether it waits for a message from the lead before it summarises.</param>
internal sealed record ResearchPlan(string Name, string Topic, IReadOnlyList<SourcePlan> Sources, bool AwaitsGuidance = false);
