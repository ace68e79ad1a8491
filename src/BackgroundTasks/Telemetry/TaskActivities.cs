using System.Diagnostics;

namespace BackgroundTasks;

/// <summary>The <see cref="ActivitySource"/> named <see cref="BackgroundTaskTelemetry.ActivitySourceName"/>: one activity per task.</summary>
internal static class TaskActivities
{
    private static readonly ActivitySource s_source =
        new(BackgroundTaskTelemetry.ActivitySourceName, typeof(TaskActivities).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Starts the activity of a task that was just recorded as Running, or returns null when nobody listens.
    /// <see cref="Activity.Current"/> is left as it was.
    /// </summary>
    /// <remarks>
    /// A task outlives the call that spawned it, so its activity is the root of its own trace, linked to the
    /// spawner's activity, rather than a child that would end long after its parent.
    /// </remarks>
    public static Activity? Start(TaskSummary running)
    {
        if (!s_source.HasListeners())
        {
            return null;
        }

        var spawner = Activity.Current;
        ActivityLink[]? links = spawner is null ? null : [new ActivityLink(spawner.Context)];
        List<KeyValuePair<string, object?>> tags =
        [
            new(BackgroundTaskTelemetry.TaskIdTag, running.TaskId),
            new(BackgroundTaskTelemetry.TaskTypeTag, running.TaskType),
            new(BackgroundTaskTelemetry.OwnerThreadIdTag, running.OwnerThreadId),
        ];
        if (running.Name is { } name)
        {
            tags.Add(new(BackgroundTaskTelemetry.TaskNameTag, name));
        }

        if (running.ParentContext.TaskId is { } parentTaskId)
        {
            tags.Add(new(BackgroundTaskTelemetry.ParentTaskIdTag, parentTaskId));
        }

        // With no current activity and no parent context, the new activity is a root.
        Activity.Current = null;
        try
        {
            var activity = s_source.StartActivity(BackgroundTaskTelemetry.TaskActivityName, ActivityKind.Internal, default(ActivityContext), tags, links);
            if (activity is not null)
            {
                activity.DisplayName = running.TaskType + " " + running.TaskId;
            }

            return activity;
        }
        finally
        {
            Activity.Current = spawner;
        }
    }

    /// <summary>Makes the task's activity current on the body's flow, so work the body does nests under it.</summary>
    public static void EnterBody(Activity? activity)
    {
        if (activity is not null)
        {
            Activity.Current = activity;
        }
    }

    /// <summary>Tags the outcome and stops the activity.</summary>
    public static void Stop(Activity? activity, TaskSummary terminal)
    {
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag(BackgroundTaskTelemetry.TaskStatusTag, terminal.Status.AsString());
            if (terminal.Status == BackgroundTaskStatus.Failed)
            {
                activity.SetTag(BackgroundTaskTelemetry.ErrorTag, terminal.Error);
                activity.SetStatus(ActivityStatusCode.Error, terminal.Error);
            }
            else if (terminal.Status == BackgroundTaskStatus.Completed)
            {
                activity.SetStatus(ActivityStatusCode.Ok);
            }
        }

        activity.Stop();
    }
}
