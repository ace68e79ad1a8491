using System.Reflection;
using BackgroundTasks.Tests.TestSupport;

namespace BackgroundTasks.Tests.Controls;

/// <summary>The members the "Runtime controls" and "Observing many conversations" sections promise, beside Docs/ApiContractTests.</summary>
public sealed class RuntimeControlsApiTests
{
    public static TheoryData<Type, string[]> Contract => new()
    {
        { typeof(TaskContext), ["Heartbeat"] },
        { typeof(AgentTaskContext), ["Emit", "WhenCancelled", "IsCancellationRequested", "Heartbeat"] },
        { typeof(BackgroundTaskManager), ["CancelAndWaitAsync"] },
        { typeof(BackgroundTaskTelemetry), ["AbandonedTag"] },
    };

    [Theory]
    [MemberData(nameof(Contract))]
    public void PublicType_HasEveryMember(Type type, string[] members)
    {
        var names = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Select(member => member.Name).ToHashSet();

        Assert.All(members, member => Assert.True(names.Contains(member), $"{type.Name}.{member} is missing."));
    }

    [Fact]
    public async Task AgentContext_EmitParity_ReachesTheOwnerAndRefusesAnEmptyType()
    {
        await using var time = new VirtualTime();
        var refused = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var taskId = await time.Manager.SpawnAgentWithContextAsync("t1", null, "agent", TaskParentContext.None, async context =>
        {
            context.Emit("progress", new { percent = 50 });
            context.Heartbeat();
            refused.SetResult(Record.Exception(() => context.Emit("", ManagerFixture.Json("{}"))));
            await Task.Yield();
            return context.IsCancellationRequested ? TaskResult.Cancelled : TaskResult.Success(1);
        });

        await time.WaitAsync(taskId);

        Assert.IsType<ArgumentException>(await refused.Task.Guarded());
        var progress = Assert.IsType<TaskEvent.Custom>(time.Events.Of(taskId)[0]);
        Assert.Equal(50, progress.Payload.GetProperty("percent").GetInt32());
    }
}
