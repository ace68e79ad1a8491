namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>Waits until the manager has no live task.</summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>
    /// A task that completes when no task of any owner thread is live: at once if none is now, else when the last live
    /// one has ended.
    /// </returns>
    /// <remarks>
    /// <para>
    /// A task is live from its registration, during its spawn (before <c>SpawnAsync</c> returns its id), until the end
    /// of its end: its terminal record is in the store and its terminal event sent before the wait completes. Queued
    /// tasks and tasks waiting between retry attempts are live; a body abandoned after cancellation is not.
    /// </para>
    /// <para>
    /// The wait completes only at a moment when no task is live: a spawn that registers a task before the last live
    /// one has ended keeps it waiting for that task too. A spawn that registers after that moment does not undo the
    /// completion, so a caller that must know no task follows (say, before it lets its host go) checks again under
    /// whatever orders its own spawns: another call that completes at once means nothing is live now.
    /// </para>
    /// <para>
    /// Costs nothing while nobody waits: the spawn and end of a task do no more for it. Every caller waiting at the
    /// same time shares one wake-up; the continuations run asynchronously, never on the thread that ended the task.
    /// </para>
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var idle = _live.WhenEmpty();
        return idle.IsCompleted || !cancellationToken.CanBeCanceled ? idle : idle.WaitAsync(cancellationToken);
    }
}
