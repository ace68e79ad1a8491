namespace BackgroundTasks.Tests.TestSupport;

/// <summary>
/// Tests that measure the heap with <see cref="GC.GetTotalMemory(bool)"/> run in this collection: alone, after the
/// parallel ones, since the heap is the whole process's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "Memory measurement";
}
