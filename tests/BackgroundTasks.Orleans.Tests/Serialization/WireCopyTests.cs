using System.Text.Json;
using BackgroundTasks.Orleans.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace BackgroundTasks.Orleans.Tests.Serialization;

/// <summary>
/// Orleans' deep copy of the library's immutable types (every response is copied on the silo): the instance itself,
/// alone or in a list, while the wire still serializes them.
/// </summary>
public sealed class WireCopyTests : IDisposable
{
    private static readonly TaskSummary s_summary = new()
    {
        TaskId = "bg_3",
        OwnerThreadId = "t1",
        TaskType = "research",
        Description = "looks around",
        Status = BackgroundTaskStatus.Completed,
        Result = TestBodies.Json("""{"found":[1,2]}"""),
    };

    private static readonly TaskEvent[] s_events =
    [
        new TaskEvent.Completed("bg_0", TestBodies.Json("1")) { Sequence = 1 },
        new TaskEvent.Failed("bg_1", "boom"),
        new TaskEvent.Cancelled("bg_2"),
        new TaskEvent.Custom("bg_3", "progress", TestBodies.Json("""{"p":0.5}""")),
    ];

    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private DeepCopier Copier => _services.GetRequiredService<DeepCopier>();

    private Serializer Serializer => _services.GetRequiredService<Serializer>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Copy_TaskSummary_IsTheSameInstance()
    {
        Assert.Same(s_summary, Copier.Copy(s_summary));
        Assert.Same(s_summary, Assert.Single(Copier.Copy<IReadOnlyList<TaskSummary>>(new List<TaskSummary> { s_summary })));
        Assert.Same(s_summary, Copier.Copy<TaskSummary?>(s_summary));
    }

    [Fact]
    public void Copy_TaskEventsOfEveryKind_AreTheSameInstances()
    {
        foreach (var taskEvent in s_events)
        {
            Assert.Same(taskEvent, Copier.Copy(taskEvent));
        }
    }

    [Fact]
    public void Serialize_TaskSummaryAndEvents_StillCrossAsNewInstancesWithTheirJson()
    {
        var summary = RoundTrip(s_summary);

        Assert.NotSame(s_summary, summary);
        Assert.Equal(JsonSerializer.Serialize(s_summary), JsonSerializer.Serialize(summary));
        foreach (var taskEvent in s_events)
        {
            var copy = RoundTrip(taskEvent);
            Assert.NotSame(taskEvent, copy);
            Assert.IsType(taskEvent.GetType(), copy);
            Assert.Equal(JsonSerializer.Serialize(taskEvent), JsonSerializer.Serialize(copy));
        }
    }

    private T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;
}
