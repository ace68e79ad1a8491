using System.Text.Json;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Manager;

public sealed class AgentMessageTests
{
    [Fact]
    public async Task TryParse_MessageSentToAnAgent_GivesSenderAndContent()
    {
        await using var fixture = new ManagerFixture();
        var received = new TaskCompletionSource<AgentMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await fixture.Manager.SpawnAgentWithContextAsync("t1", null, "listens", TaskParentContext.None, async context =>
        {
            var message = await context.Inbox.ReceiveAsync(context.CancellationToken);
            Assert.True(AgentMessage.TryParse(message!, out var parsed));
            received.SetResult(parsed);
            return TaskResult.Success(1);
        });

        await fixture.Manager.SendTaskInboxMessageAsync(id, "t1", "lead", "focus on \"2024\"");

        Assert.Equal(new AgentMessage("lead", "focus on \"2024\""), await received.Task.Guarded());
    }

    public static TheoryData<TaskEvent> NotAgentMessages => new()
    {
        new TaskEvent.Completed("bg_0", null),
        new TaskEvent.Custom("bg_0", "progress", ManagerFixture.Json("""{"from":"a","content":"b"}""")),
        new TaskEvent.Custom("bg_0", AgentMessage.EventType, ManagerFixture.Json("""{"from":"a"}""")),
        new TaskEvent.Custom("bg_0", AgentMessage.EventType, ManagerFixture.Json("""{"from":1,"content":"b"}""")),
        new TaskEvent.Custom("bg_0", AgentMessage.EventType, ManagerFixture.Json("""["a","b"]""")),
        new TaskEvent.Custom("bg_0", AgentMessage.EventType, default(JsonElement)),
    };

    [Theory]
    [MemberData(nameof(NotAgentMessages))]
    public void TryParse_OtherEventOrMalformedPayload_IsFalse(TaskEvent message)
    {
        Assert.False(AgentMessage.TryParse(message, out var parsed));
        Assert.Null(parsed);
    }

    [Fact]
    public void TryParse_Null_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>("message", () => AgentMessage.TryParse(null!, out _));
}
