namespace BackgroundTasks;

/// <content>
/// Who may end the task. The run loop ends it from <see cref="Phase.Bookkeeping"/>; an abandonment
/// (<see cref="BackgroundTaskManager.CancelAndWaitAsync"/>, <see cref="BackgroundTaskManager.DisposeAsync"/>) ends it
/// only while no library code of the loop is running (<see cref="Phase.NotStarted"/> or <see cref="Phase.Body"/>), so
/// the loop's own record writes (the start of an attempt) never race with the abandoned terminal record.
/// </content>
internal sealed partial class TaskRuntime
{
    private int _phase;

    // Set under the live table's lock when a child spawned with ParentClosePolicy.Cancel links below this runtime.
    private bool _hasCancelOnCloseChildren;

    private enum Phase
    {
        /// <summary>Spawned, the body not yet called.</summary>
        NotStarted,

        /// <summary>A body (or its attempt's race with a timeout) is what the loop waits for.</summary>
        Body,

        /// <summary>The loop runs library code: deciding a retry, waiting out its delay, writing records.</summary>
        Bookkeeping,

        /// <summary>The task has ended (or is ending): its terminal record belongs to whoever ended it.</summary>
        Ended,
    }

    public bool IsEnded => Volatile.Read(ref _phase) == (int)Phase.Ended;

    public BackgroundTaskManager Manager => _manager;

    /// <summary>Whether a live child spawned with <see cref="ParentClosePolicy.Cancel"/> was ever linked below this runtime.</summary>
    internal bool HasCancelOnCloseChildren
    {
        get => Volatile.Read(ref _hasCancelOnCloseChildren);
        set => Volatile.Write(ref _hasCancelOnCloseChildren, value);
    }

    /// <summary>The first attempt's body is about to be called; false when the task was abandoned before it started.</summary>
    public bool TryStartFirstAttempt() =>
        Interlocked.CompareExchange(ref _phase, (int)Phase.Body, (int)Phase.NotStarted) == (int)Phase.NotStarted;

    /// <summary>A later attempt's body is about to be called (from <see cref="Phase.Bookkeeping"/>, where nobody else moves the phase).</summary>
    /// <remarks>
    /// A full fence: the caller checks the token next, and an abandoner cancels and then reads the phase, so one of the two
    /// sees the other and a body is never started after an abandoner gave up on ending the task itself.
    /// </remarks>
    public void StartNextAttempt() => Interlocked.Exchange(ref _phase, (int)Phase.Body);

    /// <summary>The body (or its attempt) ended and the loop takes over; false when the task was abandoned meanwhile.</summary>
    public bool TryLeaveBody() =>
        Interlocked.CompareExchange(ref _phase, (int)Phase.Bookkeeping, (int)Phase.Body) == (int)Phase.Body;

    /// <summary>Claims the end for an abandonment; false when the loop is in its own bookkeeping (it ends the task itself) or it has ended.</summary>
    public bool TryAbandon()
    {
        var phase = Volatile.Read(ref _phase);
        return phase is (int)Phase.NotStarted or (int)Phase.Body
            && Interlocked.CompareExchange(ref _phase, (int)Phase.Ended, phase) == phase;
    }

    /// <summary>Marks the task as ended; true for the one caller that ended it.</summary>
    public bool MarkEnded() => Interlocked.Exchange(ref _phase, (int)Phase.Ended) != (int)Phase.Ended;

    /// <summary>
    /// Makes <paramref name="attempt"/> the one a cancellation of the task reaches. Cheaper than registering the attempt
    /// on the task's token: no callback node per attempt, nothing to unregister. Publishing first and then checking the
    /// token (both fenced), against <see cref="RequestCancellation"/> cancelling first and then reading the attempt,
    /// means one of the two always cancels the attempt.
    /// </summary>
    public void BindAttempt(TaskAttempt attempt)
    {
        Interlocked.Exchange(ref Rare.CurrentAttempt, attempt);
        if (CancellationToken.IsCancellationRequested)
        {
            attempt.CancelToken();
        }
    }

    /// <summary>The record of the attempt that starts now; written to the store by the caller.</summary>
    public TaskSummary BeginAttempt(int attempt) => Running = Running with { Attempt = attempt };

    private void CancelCurrentAttempt()
    {
        Interlocked.MemoryBarrier();
        var rare = Volatile.Read(ref _rare);
        if (rare is not null)
        {
            Volatile.Read(ref rare.CurrentAttempt)?.CancelToken();
        }
    }
}
