using System.Text.Json;
using Orleans.Runtime;

namespace BackgroundTasks.Orleans;

internal sealed partial class BackgroundTaskThreadGrain
{
    public async Task<string> SpawnAsync(string taskType, string? name, string description, TaskParentContext parentContext,
        JsonElement input, SpawnOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskType);
        ArgumentNullException.ThrowIfNull(parentContext);
        if (!_options.Tasks.TryGetValue(taskType, out var body))
        {
            throw new ArgumentException(OrleansMessages.UnknownTaskType(taskType, RuntimeIdentity), nameof(taskType));
        }

        return await SpawnKeptAliveAsync(() =>
        {
            var invocation = Invocation(input);
            return Manager.SpawnAsync(ThreadId, taskType, name, description, WithAmbientParent(parentContext), options ?? SpawnOptions.Default,
                context => TaskBodies.Run(body, invocation, context, context.TaskId));
        }).ConfigureAwait(true);
    }

    public async Task<string> SpawnAgentAsync(string agentKind, string? name, string description, TaskParentContext parentContext,
        JsonElement input, SpawnOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentKind);
        ArgumentNullException.ThrowIfNull(parentContext);
        if (!_options.Agents.TryGetValue(agentKind, out var body))
        {
            throw new ArgumentException(OrleansMessages.UnknownAgentKind(agentKind, RuntimeIdentity), nameof(agentKind));
        }

        return await SpawnKeptAliveAsync(() =>
        {
            var invocation = Invocation(input);
            return Manager.SpawnAgentWithContextAsync(ThreadId, name, description, WithAmbientParent(parentContext), options ?? SpawnOptions.Default,
                context => TaskBodies.Run(body, invocation, context, context.TaskId));
        }).ConfigureAwait(true);
    }

    private TaskInvocation Invocation(JsonElement input) =>
        new(ThreadId, input.ValueKind == JsonValueKind.Undefined ? input : input.Clone(), ServiceProvider, Self);

    /// <summary>
    /// The parent context with the calling body's task filled in, as the manager does for spawns inside a body: the
    /// grain call crossed the wire, so the body's task travels in the request context instead of the async flow.
    /// Only a task of this thread counts, as in process.
    /// </summary>
    private TaskParentContext WithAmbientParent(TaskParentContext parentContext)
    {
        if (parentContext.TaskId is not null || RequestContext.Get(TaskBodies.ParentTaskKey) is not string parentTaskId)
        {
            return parentContext;
        }

        return Store.Lookup(parentTaskId) is { } parent && parent.OwnerThreadId == ThreadId
            ? parentContext with { TaskId = parentTaskId, RunId = parentContext.RunId ?? parent.ParentContext.RunId }
            : parentContext;
    }
}
