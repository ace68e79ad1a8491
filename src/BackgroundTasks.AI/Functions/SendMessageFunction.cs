using System.Text.Json;
using System.Text.Json.Nodes;

namespace BackgroundTasks.AI;

/// <summary><c>send_message(to, message)</c>: delivers a message into a live sub-agent's inbox.</summary>
internal sealed class SendMessageFunction(ToolSettings settings) : BackgroundTaskFunction(
    "send_message",
    "Send a message to a running sub-agent, by its name or task id: more instructions, a correction, an answer " +
    "to its question. Returns {\"status\": \"accepted\", \"delivery\": \"live\"} once the message is in its inbox, or " +
    "{\"status\": \"failed\", \"error\": ...} with recipient_not_found (no such live task in this conversation), " +
    "recipient_unavailable (it has ended) or delivery_not_supported (the task is not a sub-agent).",
    Schema(settings.MaxTextLength))
{
    protected override async Task<JsonElement> InvokeCheckedAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var to = arguments.RequiredString("to", ToolSettings.MaxIdLength);
        var message = arguments.RequiredString("message", settings.MaxTextLength);
        var scope = settings.Scope;
        if (await scope.ResolveLiveAsync(to).ConfigureAwait(false) is not { } taskId)
        {
            // Not live: an ended task of ours (by id or name) is unavailable, anything else is not found.
            var tasks = await scope.ListAsync().ConfigureAwait(false);
            return tasks.Any(summary => summary.TaskId == to || summary.Name == to)
                ? ToolResults.SendFailed(ToolResults.RecipientUnavailable)
                : ToolResults.SendFailed(ToolResults.RecipientNotFound);
        }

        try
        {
            await scope.SendAsync(taskId, settings.AgentId, message).ConfigureAwait(false);
        }
        catch (SendException exception)
        {
            return ToolResults.SendFailed(exception.Error switch
            {
                SendError.TaskNotFound or SendError.NotOwner => ToolResults.RecipientNotFound,
                SendError.NoInbox => ToolResults.DeliveryNotSupported,
                _ => ToolResults.RecipientUnavailable,
            });
        }

        return ToolResults.ToElement(new JsonObject { ["status"] = "accepted", ["delivery"] = "live", ["task_id"] = taskId });
    }

    private static string Schema(int maxTextLength) => new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["to"] = new JsonObject { ["type"] = "string", ["description"] = "The sub-agent's name or task id." },
            ["message"] = new JsonObject { ["type"] = "string", ["description"] = "The message.", ["maxLength"] = maxTextLength },
        },
        ["required"] = new JsonArray("to", "message"),
        ["additionalProperties"] = false,
    }.ToJsonString();
}
