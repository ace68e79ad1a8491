namespace BackgroundTasks;

/// <summary>How one attempt ended: the body's result or exception, or its timeout (then <see cref="Result"/> carries the error).</summary>
internal readonly record struct AttemptOutcome(TaskResult? Result, Exception? Fault, bool TimedOut)
{
    public static AttemptOutcome Cancelled => new(TaskResult.Cancelled, null, false);

    public static AttemptOutcome Timeout(string error) => new(TaskResult.Failed(error), null, true);

    /// <summary>
    /// The failure a retry decision sees (a throw becomes <c>TaskResult.Failed(message)</c>, a null result the null-result
    /// error), or null when the attempt did not fail: it succeeded, returned Cancelled, or stopped on a requested cancellation.
    /// </summary>
    public TaskResult? AsFailure(bool cancellationRequested)
    {
        if (Fault is not null)
        {
            return Fault is OperationCanceledException && cancellationRequested ? null : TaskResult.Failed(Fault.Message);
        }

        return Result switch
        {
            null => TaskResult.Failed(Messages.NullResult),
            { Status: BackgroundTaskStatus.Failed } failed => failed,
            _ => null,
        };
    }

    /// <summary>For the log line of a result that came too late: <c>completed</c>, <c>failed</c>, <c>cancelled</c> or <c>threw</c>.</summary>
    public string Describe() => Fault is not null ? "threw " + Fault.GetType().Name : Result?.Status.AsString() ?? "null";
}
