namespace BackgroundTasks;

/// <summary>How far a task has come, as its body last reported it with <see cref="TaskContext.ReportProgress"/>.</summary>
/// <param name="Fraction">Done so far, from 0 to 1; null when the body cannot tell (an indeterminate progress bar).</param>
/// <param name="Message">What the body is doing now, for people; null for none.</param>
/// <remarks>JSON (inside a summary's <c>"progress"</c>): <c>{"fraction":0.5,"message":"page 3 of 6"}</c>, each property omitted when null.</remarks>
public sealed record TaskProgress(double? Fraction, string? Message);
