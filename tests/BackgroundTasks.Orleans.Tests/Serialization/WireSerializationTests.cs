using System.Text.Json;
using BackgroundTasks.Orleans.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace BackgroundTasks.Orleans.Tests.Serialization;

/// <summary>
/// The library's types through Orleans' serializer and copier, as a grain call carries them (every response is also
/// deep-copied on the silo).
/// </summary>
public sealed class WireSerializationTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private Serializer Serializer => _services.GetRequiredService<Serializer>();

    private DeepCopier Copier => _services.GetRequiredService<DeepCopier>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void TaskSummary_RoundTrips_WithEveryField()
    {
        var summary = new TaskSummary
        {
            TaskId = "bg_3",
            OwnerThreadId = "t1",
            TaskType = "research",
            Name = "scout",
            Description = "looks around",
            Status = BackgroundTaskStatus.Completed,
            Result = TestBodies.Json("""{"found":[1,2]}"""),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_000),
            StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_500),
            CompletedAt = DateTimeOffset.FromUnixTimeMilliseconds(2_000),
            Attempt = 2,
            ParentContext = new TaskParentContext { TaskId = "bg_1", RunId = "r", CallId = "c", AgentId = "a" },
        };

        var copy = RoundTrip(summary);

        Assert.NotSame(summary, copy);
        Assert.Equal(JsonSerializer.Serialize(summary), JsonSerializer.Serialize(copy));
    }

    [Fact]
    public void TaskSummary_DeepCopy_IsTheSameInstance()
    {
        var summary = new TaskSummary { TaskId = "bg_0", OwnerThreadId = "t1", TaskType = "x", Description = "d", Result = TestBodies.Json("[1]") };

        Assert.Same(summary, Copier.Copy(summary));
        Assert.Same(summary, Copier.Copy<TaskSummary?>(summary));
        Assert.Same(summary, Assert.Single(Copier.Copy<IReadOnlyList<TaskSummary>>(new List<TaskSummary> { summary })));
    }

    [Fact]
    public void JsonElement_RoundTrips_AndUndefinedStaysUndefined()
    {
        Assert.Equal("""{"a":[true,null,"x"]}""", RoundTrip(TestBodies.Json("""{"a":[true,null,"x"]}""")).GetRawText());
        Assert.Equal(JsonValueKind.Undefined, RoundTrip(default(JsonElement)).ValueKind);
    }

    [Fact]
    public void TaskParentContext_RoundTrips_AndEmptyBecomesNone()
    {
        var context = new TaskParentContext { TaskId = "bg_1", RunId = "r", CallId = "c", AgentId = "a" };

        Assert.Equal(context, RoundTrip(context));
        Assert.Same(TaskParentContext.None, RoundTrip(new TaskParentContext()));
    }

    [Fact]
    public void SpawnOptions_RoundTrip_WithTheirRetryPolicy()
    {
        var options = new SpawnOptions
        {
            Timeout = TimeSpan.FromSeconds(5),
            HeartbeatTimeout = TimeSpan.FromSeconds(1),
            ParentClosePolicy = ParentClosePolicy.Cancel,
            Retry = new RetryPolicy { MaxAttempts = 4, Delay = TimeSpan.FromMilliseconds(10), Backoff = RetryBackoff.Linear, MaxDelay = TimeSpan.FromSeconds(1), UseJitter = true },
        };

        Assert.Equal(options, RoundTrip(options));
        Assert.Same(SpawnOptions.Default, RoundTrip(new SpawnOptions()));
    }

    [Fact]
    public void RetryPolicy_WithShouldRetry_IsRefusedWithAClearMessage()
    {
        var options = new SpawnOptions { Retry = new RetryPolicy { ShouldRetry = _ => false } };

        var error = Assert.ThrowsAny<Exception>(() => Serializer.SerializeToArray(options));

        Assert.Equal(OrleansMessages.ShouldRetryAcrossWire + " (Parameter 'value')", Innermost<ArgumentException>(error).Message);
    }

    [Fact]
    public void TaskEvents_OfEveryKind_RoundTrip()
    {
        foreach (var taskEvent in EventsOfEveryKind())
        {
            var copy = RoundTrip(taskEvent);
            Assert.NotSame(taskEvent, copy);
            Assert.IsType(taskEvent.GetType(), copy);
            Assert.Equal(JsonSerializer.Serialize(taskEvent), JsonSerializer.Serialize(copy));
        }
    }

    [Fact]
    public void TaskEvents_OfEveryKind_DeepCopy_AreTheSameInstances()
    {
        foreach (var taskEvent in EventsOfEveryKind())
        {
            Assert.Same(taskEvent, Copier.Copy(taskEvent));
        }
    }

    [Fact]
    public void TaskEvent_KeepsItsSequence()
    {
        var copy = RoundTrip<TaskEvent>(new TaskEvent.Cancelled("bg_4") { Sequence = 42 });

        Assert.Equal(42, copy.Sequence);
    }

    [Fact]
    public void SpawnAndSendExceptions_KeepTheirErrorAndDetails()
    {
        var spawn = new SpawnException(SpawnError.DuplicateName, "taken", name: "solo");
        var send = new SendException(SendError.TaskTerminated, "ended", BackgroundTaskStatus.Failed);

        var spawnCopy = RoundTrip<Exception>(spawn) as SpawnException;
        var sendCopy = RoundTrip<Exception>(send) as SendException;

        Assert.Equal((SpawnError.DuplicateName, "solo", "taken"), (spawnCopy!.Error, spawnCopy.Name, spawnCopy.Message));
        Assert.Equal((SendError.TaskTerminated, BackgroundTaskStatus.Failed, "ended"), (sendCopy!.Error, sendCopy.TerminalStatus, sendCopy.Message));
    }

    [Fact]
    public void SpawnException_KeepsItsRunIdAndCause()
    {
        var cancelledRun = RoundTrip<Exception>(new SpawnException(SpawnError.ParentRunCancelled, "run gone", runId: "run-7")) as SpawnException;
        var state = RoundTrip<Exception>(new SpawnException(SpawnError.State, "not stored", innerException: new InvalidOperationException("disk full"))) as SpawnException;

        Assert.Equal((SpawnError.ParentRunCancelled, "run-7", null), (cancelledRun!.Error, cancelledRun.RunId, cancelledRun.Name));
        Assert.Equal(SpawnError.State, state!.Error);
        Assert.Equal("disk full", Assert.IsType<InvalidOperationException>(state.InnerException).Message);
    }

    [Fact]
    public void EventsExpiredException_KeepsTheThreadAndSequences()
    {
        var copy = RoundTrip<Exception>(new EventsExpiredException("t1", 5, 9)) as EventsExpiredException;

        Assert.Equal(("t1", 5L, 9L), (copy!.OwnerThreadId, copy.RequestedAfter, copy.OldestRetained));
    }

    [Fact]
    public void ThreadChangeBatch_RoundTrips_WithItsChanges()
    {
        var summary = new TaskSummary { TaskId = "bg_0", OwnerThreadId = "t", TaskType = "x", Description = "d" };
        var batch = new ThreadChangeBatch
        {
            Epoch = "e1",
            Version = 7,
            IsSnapshot = true,
            Changes = [new TaskChange(Caching.ChangeReason.Update, summary)],
        };

        var copy = RoundTrip(batch);

        Assert.Equal((batch.Epoch, batch.Version, batch.IsSnapshot), (copy.Epoch, copy.Version, copy.IsSnapshot));
        Assert.Equal(Caching.ChangeReason.Update, Assert.Single(copy.Changes).Reason);
        Assert.Equal("bg_0", copy.Changes[0].Current.TaskId);
    }

    private static TaskEvent[] EventsOfEveryKind() =>
    [
        new TaskEvent.Completed("bg_0", TestBodies.Json("1")),
        new TaskEvent.Failed("bg_1", "boom"),
        new TaskEvent.Cancelled("bg_2"),
        new TaskEvent.Custom("bg_3", "progress", TestBodies.Json("""{"p":0.5}""")),
    ];

    private T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;

    private static TException Innermost<TException>(Exception error)
        where TException : Exception
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is TException found)
            {
                return found;
            }
        }

        throw new Xunit.Sdk.XunitException($"No {typeof(TException).Name} in {error}");
    }
}
