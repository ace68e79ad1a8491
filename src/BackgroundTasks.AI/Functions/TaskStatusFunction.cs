using System.Text.Json;

namespace BackgroundTasks.AI;

/// <summary><c>task_status(task_id)</c>: one task's current record.</summary>
internal sealed class TaskStatusFunction(ToolSettings settings) : BackgroundTaskFunction(
    "task_status",
    "Get the current state of one background task: its status (queued, running, completed, failed, cancelled), " +
    "its result or error once it has ended, its progress if it reports any, and when it was created and finished. " +
    "Use it to check on one task without waiting. Returns the task's summary object, or {\"error\": \"not_found\"} " +
    "for an id that is not one of this conversation's tasks.",
    """
    {
      "type": "object",
      "properties": {
        "task_id": { "type": "string", "description": "The task id returned by spawn_agent, such as \"bg_3\"." }
      },
      "required": ["task_id"],
      "additionalProperties": false
    }
    """)
{
    protected override async Task<JsonElement> InvokeCheckedAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var taskId = arguments.RequiredString("task_id", ToolSettings.MaxIdLength);
        return await settings.Scope.GetAsync(taskId).ConfigureAwait(false) is { } summary
            ? ToolResults.ToElement(ToolResults.Summary(summary)!)
            : ToolResults.Error(ToolResults.NotFound);
    }
}
