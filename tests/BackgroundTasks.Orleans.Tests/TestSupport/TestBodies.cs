using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace BackgroundTasks.Orleans.Tests.TestSupport;

/// <summary>The task bodies every test silo registers, and where each of them ran.</summary>
internal static class TestBodies
{
    /// <summary>The silo each body ran on, by "thread/task".</summary>
    public static readonly ConcurrentDictionary<string, SiloAddress> RanOn = new();

    public static void Register(BackgroundTasksSiloOptions options) => options
        .AddTask("echo", (invocation, context) =>
        {
            Record(invocation, context.TaskId);
            return Task.FromResult(TaskResult.Success(invocation.Input));
        })
        .AddTask("wait", async (invocation, context) =>
        {
            Record(invocation, context.TaskId);
            await context.WhenCancelled().ConfigureAwait(false);
            return TaskResult.Cancelled;
        })
        .AddTask("fail", (invocation, context) => Task.FromResult(TaskResult.Failed("boom")))
        .AddTask("parent", async (invocation, context) =>
        {
            Record(invocation, context.TaskId);
            var child = await invocation.Thread.SpawnAsync("wait", null, "child", TaskParentContext.None, default).ConfigureAwait(false);
            context.Emit("child", child);
            await context.WhenCancelled().ConfigureAwait(false);
            return TaskResult.Cancelled;
        })
        .AddAgent("listener", async (invocation, context) =>
        {
            Record(invocation, context.TaskId);
            var message = await context.Inbox.ReceiveAsync(context.CancellationToken).ConfigureAwait(false);
            return message is TaskEvent.Custom { EventType: "agent_message" } custom
                ? TaskResult.Success(custom.Payload.GetProperty("content").GetString())
                : TaskResult.Cancelled;
        });

    private static void Record(TaskInvocation invocation, string taskId) =>
        RanOn[invocation.OwnerThreadId + "/" + taskId] = invocation.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
