using System.Text.Json;
using System.Text.Json.Nodes;

namespace BackgroundTasks.AI;

/// <summary><c>task_list(status?)</c>: this conversation's tasks, optionally of one status.</summary>
internal sealed class TaskListFunction(ToolSettings settings) : BackgroundTaskFunction(
    "task_list",
    "List this conversation's background tasks, oldest first, optionally only those with one status. " +
    "Use it to find a task's id or to see what is still running. Returns {\"tasks\": [task summaries]}.",
    """
    {
      "type": "object",
      "properties": {
        "status": {
          "type": "string",
          "enum": ["queued", "running", "completed", "failed", "cancelled"],
          "description": "Only tasks with this status; omit for all."
        }
      },
      "additionalProperties": false
    }
    """)
{
    private static readonly string[] s_statuses = ["queued", "running", "completed", "failed", "cancelled"];

    protected override async Task<JsonElement> InvokeCheckedAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var status = arguments.OptionalString("status", ToolSettings.MaxIdLength);
        if (status is not null && !s_statuses.Contains(status, StringComparer.Ordinal))
        {
            throw new ToolArgumentException(Messages.NotOneOf("status", s_statuses));
        }

        var tasks = await settings.Scope.ListAsync().ConfigureAwait(false);
        var chosen = status is null ? tasks : tasks.Where(summary => summary.Status.AsString() == status);
        return ToolResults.ToElement(new JsonObject { ["tasks"] = ToolResults.Summaries(chosen) });
    }
}
