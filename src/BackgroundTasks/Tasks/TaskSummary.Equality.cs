namespace BackgroundTasks;

// Written out because the synthesized record equality compares fields, and the packed fields are not the
// properties: it would tell two times at the same instant with other offsets apart, which the property-wise
// equality of the plain record (DateTimeOffset compares instants) never did. This is that equality, property by
// property with EqualityComparer<T>.Default: UTC ticks for the times, the JsonElement by its document and position.
public sealed partial record TaskSummary
{
    /// <summary>Whether <paramref name="other"/> has the same value in every property.</summary>
    /// <param name="other">The summary to compare with.</param>
    /// <returns>True when every property is equal: strings ordinally, times by instant (whatever their offsets),
    /// <see cref="Result"/> by the document and position it points into, the lineage and the progress by value.</returns>
    public bool Equals(TaskSummary? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && _present == other._present
            && _createdAtUtcTicks == other._createdAtUtcTicks
            && _completedAtUtcTicks == other._completedAtUtcTicks
            && _startedAtUtcTicks == other._startedAtUtcTicks
            && Status == other.Status
            && Attempt == other.Attempt
            && string.Equals(TaskId, other.TaskId, StringComparison.Ordinal)
            && string.Equals(OwnerThreadId, other.OwnerThreadId, StringComparison.Ordinal)
            && string.Equals(TaskType, other.TaskType, StringComparison.Ordinal)
            && string.Equals(Name, other.Name, StringComparison.Ordinal)
            && string.Equals(Description, other.Description, StringComparison.Ordinal)
            && string.Equals(Error, other.Error, StringComparison.Ordinal)
            && EqualityComparer<TaskParentContext>.Default.Equals(ParentContext, other.ParentContext)
            && EqualityComparer<TaskProgress?>.Default.Equals(Progress, other.Progress)
            && (!Has(Present.Result) || _result.Equals(other._result)));

    /// <summary>A hash code consistent with <see cref="Equals(TaskSummary?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        // Absent optional values are stored as zeros, so the raw fields hash equal summaries alike.
        var hash = default(HashCode);
        hash.Add(TaskId, StringComparer.Ordinal);
        hash.Add(OwnerThreadId, StringComparer.Ordinal);
        hash.Add(TaskType, StringComparer.Ordinal);
        hash.Add(Name, StringComparer.Ordinal);
        hash.Add(Description, StringComparer.Ordinal);
        hash.Add(Status);
        hash.Add(Error, StringComparer.Ordinal);
        hash.Add(_present);
        hash.Add(_result);
        hash.Add(_createdAtUtcTicks);
        hash.Add(_completedAtUtcTicks);
        hash.Add(_startedAtUtcTicks);
        hash.Add(ParentContext);
        hash.Add(Attempt);
        hash.Add(Progress);
        return hash.ToHashCode();
    }
}
