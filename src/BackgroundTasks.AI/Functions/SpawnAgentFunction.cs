using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace BackgroundTasks.AI;

/// <summary><c>spawn_agent(agent, task, name?)</c>: starts a sub-agent in the background and returns its id at once.</summary>
internal sealed class SpawnAgentFunction(ToolSettings settings) : BackgroundTaskFunction(
    "spawn_agent",
    "Start a sub-agent that works on a task in the background, and return at once with its task id. " +
    "Use it for work that takes a while or can run in parallel; keep talking or start more agents meanwhile. " +
    "You are told when it finishes; use task_wait to block until it does, send_message to give it more " +
    "instructions, task_cancel to stop it. Returns {\"task_id\": \"bg_3\", \"status\": \"running\"} (or \"queued\" when " +
    "the thread's concurrency limit is reached). Errors: unknown_agent (with the list of agents), duplicate_name " +
    "(a live task already has that name), reserved_name, queue_full (too many tasks are waiting to start: wait for " +
    "some to finish), run_cancelled (this run has been stopped: start nothing more), spawn_failed (with a message), " +
    "invalid_arguments. Agent kinds: " + DescribeAgents(settings.Agents),
    Schema(settings))
{
    protected override async Task<JsonElement> InvokeCheckedAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var kind = arguments.RequiredString("agent", ToolSettings.MaxIdLength);
        var task = arguments.RequiredString("task", settings.MaxTextLength);
        var name = arguments.OptionalString("name", ToolSettings.MaxIdLength);
        if (!settings.Agents.TryGetValue(kind, out var definition))
        {
            return ToolResults.ToElement(new JsonObject
            {
                ["error"] = ToolResults.UnknownAgent,
                ["agents"] = new JsonArray([.. settings.Agents.Keys.Select(key => JsonValue.Create(key))]),
            });
        }

        // The call id links the task to the tool call that made it; the run and agent come from the instance.
        var lineage = new TaskParentContext
        {
            RunId = settings.RunId,
            AgentId = settings.AgentId,
            CallId = FunctionInvokingChatClient.CurrentContext?.CallContent.CallId,
        };
        string taskId;
        try
        {
            taskId = await settings.Scope.SpawnAgentAsync(name, task, lineage, definition.SpawnOptions, context => definition.Body(task, context)).ConfigureAwait(false);
        }
        catch (SpawnException exception)
        {
            return exception.Error switch
            {
                SpawnError.DuplicateName => ToolResults.Error(ToolResults.DuplicateName),
                SpawnError.ReservedName => ToolResults.Error(ToolResults.ReservedName),
                SpawnError.QueueFull => ToolResults.Error(ToolResults.QueueFull, exception.Message),
                SpawnError.ParentRunCancelled => ToolResults.Error(ToolResults.RunCancelled, exception.Message),
                _ => ToolResults.Error(ToolResults.SpawnFailed, exception.Message),
            };
        }

        var queued = await settings.Scope.GetAsync(taskId).ConfigureAwait(false) is { Status: BackgroundTaskStatus.Queued };
        return ToolResults.ToElement(new JsonObject { ["task_id"] = taskId, ["status"] = queued ? "queued" : "running" });
    }

    private static string DescribeAgents(IReadOnlyDictionary<string, SubAgentDefinition> agents) =>
        agents.Count == 0 ? "none are registered." : string.Join("; ", agents.Select(agent => $"\"{agent.Key}\": {agent.Value.Description}")) + ".";

    private static string Schema(ToolSettings settings) => new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["agent"] = new JsonObject
            {
                ["type"] = "string",
                ["description"] = "The kind of agent to start.",
                ["enum"] = new JsonArray([.. settings.Agents.Keys.Select(key => JsonValue.Create(key))]),
            },
            ["task"] = new JsonObject
            {
                ["type"] = "string",
                ["description"] = "What the agent should do, in full: it sees nothing of this conversation but this text.",
                ["maxLength"] = settings.MaxTextLength,
            },
            ["name"] = new JsonObject
            {
                ["type"] = "string",
                ["description"] = "Optional short name to address the agent by in send_message (unique among live tasks).",
                ["maxLength"] = ToolSettings.MaxIdLength,
            },
        },
        ["required"] = new JsonArray("agent", "task"),
        ["additionalProperties"] = false,
    }.ToJsonString();
}
