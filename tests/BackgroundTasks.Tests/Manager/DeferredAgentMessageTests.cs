using System.Text.Json;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

/// <summary>
/// A message <see cref="BackgroundTaskManager.SendTaskInboxMessageAsync"/> sends carries its sender and content and
/// builds its <see cref="TaskEvent.Custom.Payload"/> on the first read: it must behave exactly as the eagerly built
/// event did (same JSON, same strings, record equality, <c>with</c>, ToString), and racing first reads must agree.
/// </summary>
public sealed class DeferredAgentMessageTests
{
    private static TaskEvent.Custom Deferred(string from = "lead", string content = "focus on \"2024\"") =>
        new("bg_1", new AgentMessagePayload(from, content));

    private static TaskEvent.Custom Eager(string from = "lead", string content = "focus on \"2024\"") =>
        new("bg_1", AgentMessage.EventType, AgentMessage.ToJson(from, content));

    [Fact]
    public async Task SendTaskInboxMessageAsync_ReceiverParses_PayloadIsNotBuilt()
    {
        await using var fixture = new ManagerFixture();
        var received = new TaskCompletionSource<TaskEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await fixture.Manager.SpawnAgentWithContextAsync("t1", null, "listens", TaskParentContext.None, async context =>
        {
            received.SetResult((await context.Inbox.ReceiveAsync(context.CancellationToken))!);
            return TaskResult.Success(1);
        });

        await fixture.Manager.SendTaskInboxMessageAsync(id, "t1", "lead", "hi");
        var message = Assert.IsType<TaskEvent.Custom>(await received.Task.Guarded());

        Assert.True(AgentMessage.TryParse(message, out var parsed));
        Assert.Equal(new AgentMessage("lead", "hi"), parsed);
        Assert.False(message.DeferredAgentMessage!.IsBuilt);
        Assert.Equal("""{"from":"lead","content":"hi"}""", message.Payload.GetRawText());
        Assert.True(message.DeferredAgentMessage.IsBuilt);
    }

    [Fact]
    public void Payload_ReadTwice_IsTheSameElement()
    {
        var message = Deferred();

        var first = message.Payload;

        Assert.Equal(JsonValueKind.Object, first.ValueKind);
        Assert.Equal(first, message.Payload);
        Assert.Equal(Eager().Payload.GetRawText(), first.GetRawText());
    }

    [Fact]
    public void Payload_ConcurrentFirstReads_AllGetOneElement()
    {
        const int Rounds = 2_000;
        var readers = Math.Clamp(Environment.ProcessorCount, 2, 4);
        var messages = Enumerable.Range(0, Rounds).Select(i => Deferred(content: $"message {i}")).ToArray();
        var seen = new JsonElement[readers, Rounds];
        var arrived = 0;

        var threads = Enumerable.Range(0, readers).Select(reader => new Thread(() =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                // A spinning gate, not a blocking barrier: woken threads would start microseconds apart, after the
                // first read (a few hundred nanoseconds) had already built the payload.
                Interlocked.Increment(ref arrived);
                var spin = default(SpinWait);
                while (Volatile.Read(ref arrived) < readers * (round + 1))
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }

                seen[reader, round] = messages[round].Payload;
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            Assert.True(thread.Join(Hang.Guard));
        }

        for (var round = 0; round < Rounds; round++)
        {
            var winner = messages[round].Payload;
            Assert.Equal($$"""{"from":"lead","content":"message {{round}}"}""", winner.GetRawText());
            for (var reader = 0; reader < readers; reader++)
            {
                Assert.Equal(winner, seen[reader, round]);
            }
        }
    }

    [Fact]
    public void Equality_CopyWithNoChange_IsEqualWithoutBuildingThePayload()
    {
        var message = Deferred();

        var copy = message with { };

        Assert.Equal(message, copy);
        Assert.Equal(message.GetHashCode(), copy.GetHashCode());
        Assert.False(message.DeferredAgentMessage!.IsBuilt);
        Assert.Same(message.DeferredAgentMessage, copy.DeferredAgentMessage);
        Assert.Equal(message.Payload, copy.Payload);
    }

    [Fact]
    public void Equality_EagerEventOverTheBuiltPayload_IsEqualBothWays()
    {
        var message = Deferred();

        var eager = new TaskEvent.Custom(message.TaskId, message.EventType, message.Payload);

        Assert.True(message.Equals(eager));
        Assert.True(eager.Equals(message));
        Assert.True(message == eager);
        Assert.Equal(message.GetHashCode(), eager.GetHashCode());
    }

    [Fact]
    public void Equality_TwoSendsOfTheSameMessage_AreNotEqualAsTwoParsedPayloadsAreNot()
    {
        // Two eagerly built payloads were two documents, and JsonElement compares by document: so are these.
        Assert.NotEqual(Eager(), Eager());
        Assert.NotEqual(Deferred(), Deferred());
        Assert.NotEqual(Deferred(), Eager());
    }

    [Fact]
    public void Equality_OtherSequenceTaskOrType_IsNotEqual()
    {
        var message = Deferred();

        Assert.NotEqual(message, message with { Sequence = 3 });
        Assert.NotEqual(message, message with { TaskId = "bg_2" });
        Assert.NotEqual(message, message with { EventType = "note" });
        Assert.False(message.Equals(null));
        Assert.False(message.Equals(new TaskEvent.Cancelled("bg_1")));
    }

    [Fact]
    public void With_NewPayload_ReplacesTheMessage()
    {
        var message = Deferred();
        var other = ManagerFixture.Json("""{"from":"someone","content":"else"}""");

        var replaced = message with { Payload = other };

        Assert.Null(replaced.DeferredAgentMessage);
        Assert.Equal(other, replaced.Payload);
        Assert.True(AgentMessage.TryParse(replaced, out var parsed));
        Assert.Equal(new AgentMessage("someone", "else"), parsed);
        Assert.NotEqual(message, replaced);
    }

    [Fact]
    public void With_OtherEventType_IsNoLongerAnAgentMessage()
    {
        var retyped = Deferred() with { EventType = "note" };

        Assert.False(AgentMessage.TryParse(retyped, out _));
        Assert.Equal("""{"from":"lead","content":"focus on \u00222024\u0022"}""", retyped.Payload.GetRawText());
    }

    [Fact]
    public void ToStringAndDeconstruct_ShowTheSamePayloadAsAnEagerEvent()
    {
        var message = Deferred();
        var eager = Eager();

        Assert.Equal(eager.ToString(), message.ToString());
        var (taskId, eventType, payload) = message;
        Assert.Equal(("bg_1", AgentMessage.EventType), (taskId, eventType));
        Assert.Equal(message.Payload, payload);
    }
}
