namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>A view of this manager that reaches only the tasks of <paramref name="ownerThreadId"/>.</summary>
    /// <param name="ownerThreadId">The owner thread the view acts for.</param>
    /// <returns>A new view; cheap, and any number may exist per thread.</returns>
    /// <remarks>Hand it to one conversation of a multi-tenant runtime: another thread's task ids behave as unknown ids through it.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="ownerThreadId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> is empty.</exception>
    public ThreadTasks ForThread(string ownerThreadId)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerThreadId);
        return new ThreadTasks(this, ownerThreadId);
    }

    /// <summary>The record of <paramref name="taskId"/> when <paramref name="ownerThreadId"/> owns it; null otherwise, as for an unknown id.</summary>
    internal TaskSummary? FindOwned(string taskId, string ownerThreadId) =>
        Find(taskId) is { } summary && summary.OwnerThreadId == ownerThreadId ? summary : null;

    /// <summary>CancelTreeAsync for a view: the root must be the thread's, and only the thread's tasks below it are signalled.</summary>
    internal int CancelTreeOfThread(string taskId, string ownerThreadId) =>
        FindOwned(taskId, ownerThreadId) is null ? 0 : CancelTree(taskId, ownerThreadId);
}
