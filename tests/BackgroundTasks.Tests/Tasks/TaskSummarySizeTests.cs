namespace BackgroundTasks.Tests.Tasks;

/// <summary>
/// The heap size of one summary. Every task allocates at least two (Running, then terminal) and the store keeps the
/// last, so their size is a large share of the bytes a task allocates and retains (issue 11).
/// </summary>
public class TaskSummarySizeTests
{
    /// <summary>
    /// 16 bytes of object header and method table, 8 references (64), the result's JsonElement (16), three times as
    /// UTC ticks (8 each) and offset minutes (2 each), the status and the attempt (4 each) and a byte of presence bits
    /// (39, padded to 40). As a plain record with nullable properties it was 176 bytes.
    /// </summary>
    private const long InstanceBytes = 136;

    [Fact]
    public void New_AnySummary_AllocatesOneObjectOfTheExpectedSize()
    {
        const int Count = 1000;
        var summaries = new TaskSummary[Count];
        TaskSummary first = Create();
        DateTimeOffset now = first.CreatedAt;

        // Once outside the count, so that whatever the first `with` loads or compiles is not counted.
        summaries[0] = first with { CompletedAt = now, Status = BackgroundTaskStatus.Completed };

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Count; i++)
        {
            summaries[i] = first with { CompletedAt = now, Status = BackgroundTaskStatus.Completed };
        }

        long perInstance = (GC.GetAllocatedBytesForCurrentThread() - before) / Count;

        Assert.Equal(InstanceBytes, perInstance);
        Assert.All(summaries, s => Assert.Equal(now, s.CompletedAt));
    }

    private static TaskSummary Create() => new()
    {
        TaskId = "bg_0",
        OwnerThreadId = "t1",
        TaskType = "shell",
        Description = "d",
        CreatedAt = TaskSamples.Created,
        StartedAt = TaskSamples.Created,
    };
}
