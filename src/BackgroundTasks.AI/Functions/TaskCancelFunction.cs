using System.Text.Json;
using System.Text.Json.Nodes;

namespace BackgroundTasks.AI;

/// <summary><c>task_cancel(task_id, tree = false)</c>: asks a task (and, with tree, its descendants) to stop.</summary>
internal sealed class TaskCancelFunction(ToolSettings settings) : BackgroundTaskFunction(
    "task_cancel",
    "Stop a background task that is no longer needed; with tree = true, also every task it started. " +
    "Returns {\"cancelled\": n}, the number of live tasks asked to stop (0 when the task already ended or is not " +
    "one of this conversation's tasks). A cancelled task ends with status \"cancelled\" shortly after.",
    """
    {
      "type": "object",
      "properties": {
        "task_id": { "type": "string", "description": "The id of the task to stop, such as \"bg_3\"." },
        "tree": { "type": "boolean", "description": "Also stop the tasks it started, and theirs. Default false." }
      },
      "required": ["task_id"],
      "additionalProperties": false
    }
    """)
{
    protected override async Task<JsonElement> InvokeCheckedAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var taskId = arguments.RequiredString("task_id", ToolSettings.MaxIdLength);
        var tree = arguments.OptionalBoolean("tree", defaultValue: false);
        var cancelled = await settings.Scope.CancelAsync(taskId, tree).ConfigureAwait(false);
        return ToolResults.ToElement(new JsonObject { ["cancelled"] = cancelled });
    }
}
