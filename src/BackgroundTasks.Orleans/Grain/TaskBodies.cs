using Orleans.Runtime;

namespace BackgroundTasks.Orleans;

/// <summary>Runs registered bodies for the thread grain, on the manager's scheduler (the thread pool), never on the grain's.</summary>
internal static class TaskBodies
{
    /// <summary>The request-context key under which a body's grain calls carry its task id, as their ambient parent.</summary>
    internal const string ParentTaskKey = "backgroundtasks.parent-task";

    /// <summary>
    /// Runs <paramref name="body"/> with its task id in Orleans' request context, so the grain calls it makes (a
    /// child spawn through <see cref="TaskInvocation.Thread"/>) carry it. The method is async so the request-context
    /// change stays in the body's own flow.
    /// </summary>
    public static async Task<TResult> Run<TContext, TResult>(Func<TaskInvocation, TContext, Task<TResult>> body, TaskInvocation invocation,
        TContext context, string taskId)
    {
        RequestContext.Set(ParentTaskKey, taskId);
        return await body(invocation, context).ConfigureAwait(false);
    }
}
