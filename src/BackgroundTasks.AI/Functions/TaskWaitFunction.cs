using System.Text.Json;
using System.Text.Json.Nodes;

namespace BackgroundTasks.AI;

/// <summary>
/// <c>task_wait(task_ids, mode = "all" | "any", timeout_seconds?)</c>: blocks until all (or any) of the tasks ended, or
/// the timeout, capped by <see cref="BackgroundTaskToolsOptions.MaxWait"/>, passed.
/// </summary>
internal sealed class TaskWaitFunction(ToolSettings settings) : BackgroundTaskFunction(
    "task_wait",
    "Wait until background tasks finish: all of them (mode \"all\", the default) or the first one (mode \"any\"), " +
    "for at most timeout_seconds (never longer than " + Seconds(settings.MaxWait) + " s). Use it when you cannot go on " +
    "without their results; otherwise keep working, since you are told when tasks finish. Returns " +
    "{\"finished\": [summaries of the tasks that have ended, with their results], \"pending\": [ids still running]}; " +
    "call it again to keep waiting for the pending ones. {\"error\": \"not_found\", \"task_id\": ...} when an id is " +
    "not one of this conversation's tasks.",
    Schema(settings))
{
    private static readonly string[] s_modes = ["all", "any"];

    protected override async Task<JsonElement> InvokeCheckedAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var taskIds = arguments.RequiredStringArray("task_ids", settings.MaxTaskIds, ToolSettings.MaxIdLength);
        var mode = arguments.OptionalString("mode", ToolSettings.MaxIdLength) ?? "all";
        if (!s_modes.Contains(mode, StringComparer.Ordinal))
        {
            throw new ToolArgumentException(Messages.NotOneOf("mode", s_modes));
        }

        var timeout = Timeout(arguments.OptionalNumber("timeout_seconds"));
        var scope = settings.Scope;
        foreach (var taskId in taskIds)
        {
            if (await scope.GetAsync(taskId).ConfigureAwait(false) is null)
            {
                return ToolResults.ToElement(new JsonObject { ["error"] = ToolResults.NotFound, ["task_id"] = taskId });
            }
        }

        // The core's set wait, raced against the capped timeout; it is stopped when we return, so nothing keeps
        // watching the store after the call.
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var enough = scope.WaitAsync(taskIds, any: mode == "any", stop.Token);
            try
            {
                await enough.WaitAsync(timeout, settings.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The timeout is an answer, not an error: report what finished and what is pending.
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }

        // Read the records once more, so a task that ended while the waits were stopping counts as finished.
        var finished = new JsonArray();
        var pending = new JsonArray();
        foreach (var taskId in taskIds)
        {
            if (await scope.GetAsync(taskId).ConfigureAwait(false) is { } summary && summary.Status.IsTerminal())
            {
                finished.Add(ToolResults.Summary(summary));
            }
            else
            {
                pending.Add(taskId);
            }
        }

        return ToolResults.ToElement(new JsonObject { ["finished"] = finished, ["pending"] = pending });
    }

    private TimeSpan Timeout(double? seconds)
    {
        if (seconds is not { } value)
        {
            return settings.MaxWait;
        }

        if (!double.IsFinite(value) || value < 0)
        {
            throw new ToolArgumentException(Messages.Negative("timeout_seconds"));
        }

        // Compared in seconds first, so a huge number is capped instead of overflowing TimeSpan.
        return value >= settings.MaxWait.TotalSeconds ? settings.MaxWait : TimeSpan.FromSeconds(value);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static string Schema(ToolSettings settings) => new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["task_ids"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "string" },
                ["minItems"] = 1,
                ["maxItems"] = settings.MaxTaskIds,
                ["description"] = "The ids of the tasks to wait for.",
            },
            ["mode"] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray("all", "any"),
                ["description"] = "\"all\": until every task ended; \"any\": until the first one did. Default \"all\".",
            },
            ["timeout_seconds"] = new JsonObject
            {
                ["type"] = "number",
                ["minimum"] = 0,
                ["maximum"] = settings.MaxWait.TotalSeconds,
                ["description"] = "The longest to wait. Default and cap: " + Seconds(settings.MaxWait) + ".",
            },
        },
        ["required"] = new JsonArray("task_ids"),
        ["additionalProperties"] = false,
    }.ToJsonString();
}
