namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>Runs a body to its end and records the outcome. Never throws: every ending becomes a terminal status.</summary>
    /// <remarks>
    /// Not an async method: a body that suspends gets the runtime's continuation (<see cref="TaskRuntime.AwaitBody"/>,
    /// one delegate) instead of a state machine box of ~150 bytes per task, and the end is handled in this method's
    /// execution context, as an await's continuation would be.
    /// </remarks>
    internal void RunTask(TaskRuntime runtime)
    {
        // This flow belongs to the task now: nested spawns see it as their parent, and the tool-call
        // scope of whoever spawned it does not leak into the body's own calls.
        s_currentTaskId.Value = runtime.TaskId;
        ToolLineage.Current = null;
        TaskActivities.EnterBody(runtime.Activity);

        if (!runtime.TryStartFirstAttempt())
        {
            // Abandoned before the body was called: its terminal record is written, and the body never runs.
            return;
        }

        if (HasAttemptControls(runtime.Options))
        {
            // The attempts report their end through the runtime.
            RunAttempt(runtime, 1);
            return;
        }

        // The plain path (no timeout, no retry) follows the body directly: no attempt object, no race.
        Task<TaskResult>? pending;
        try
        {
            pending = runtime.InvokeBody();
        }
        catch (Exception exception)
        {
            EndPlainBody(runtime, new AttemptOutcome(null, exception, TimedOut: false));
            return;
        }

        if (pending is null || pending.IsCompleted)
        {
            EndPlainBody(runtime, OutcomeOf(pending));
            return;
        }

        runtime.AwaitBody(pending);
    }

    /// <summary>The end of a plain body, from <see cref="RunTask"/> or the runtime's continuation once the body's task has completed.</summary>
    internal void EndPlainBody(TaskRuntime runtime, AttemptOutcome outcome)
    {
        if (!runtime.TryLeaveBody())
        {
            _diagnostics.LateResultIgnored(runtime.Running, outcome);
            return;
        }

        // Not awaited, as nothing follows it here: the end reports itself through the runtime (and never throws).
        _ = EndAsync(runtime, outcome);
    }

    /// <summary>What a completed body's task holds, as an await of it would give: its result, or the exception it ended with.</summary>
    internal static AttemptOutcome OutcomeOf(Task<TaskResult>? completed)
    {
        if (completed is null)
        {
            return new AttemptOutcome(null, null, TimedOut: false);
        }

        try
        {
            return new AttemptOutcome(completed.GetAwaiter().GetResult(), null, TimedOut: false);
        }
        catch (Exception exception)
        {
            return new AttemptOutcome(null, exception, TimedOut: false);
        }
    }

    /// <summary>Ends a task from the run loop with the outcome of its last attempt.</summary>
    private Task EndAsync(TaskRuntime runtime, AttemptOutcome outcome)
    {
        runtime.MarkEnded();
        var terminal = TerminalLimits.Apply(TaskOutcome.ToTerminal(
            runtime.Running, outcome.Result, outcome.Fault, runtime.IsCancellationRequested, _timeProvider.GetUtcNow()), _maxResultBytes);
        return FinishAsync(runtime, terminal, abandoned: false);
    }

    /// <summary>Writes a live task's record with its latest progress (see <see cref="ProgressReporter"/>).</summary>
    internal ValueTask WriteProgressAsync(TaskRuntime runtime, TaskProgress? progress) =>
        Store!.WriteAsync(runtime.Running with { Progress = progress });

    /// <summary>
    /// The end of a task, in the order the contract promises: the name is free and the agent inbox
    /// closed; the terminal record is in the store; then the terminal event goes out (the last of the
    /// task); then children with <see cref="ParentClosePolicy.Cancel"/> are signalled, and waiters wake.
    /// </summary>
    /// <remarks>The caller has ended the runtime (<see cref="TaskRuntime.MarkEnded"/> or <see cref="TaskRuntime.TryAbandon"/>).</remarks>
    private async Task FinishAsync(TaskRuntime runtime, TaskSummary terminal, bool abandoned)
    {
        runtime.AgentInbox?.Receiver.Close();

        // Released before the store shows the end, so an observer reacting to the terminal record can
        // reuse the name at once.
        ReleaseName(runtime);

        // After the last progress write, so none can overwrite the terminal record, which carries that progress.
        if (await runtime.CloseProgressAsync().ConfigureAwait(false) is { } progress)
        {
            terminal = terminal with { Progress = progress };
        }

        try
        {
            await Store!.WriteAsync(terminal).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The store refused the record (it was disposed, or its persistence failed). The outcome
            // still reaches the owner and every waiter below, so nothing the body produced is lost.
            _diagnostics.PersistenceFault(exception, "end", runtime.TaskId);
        }

        // Its run slot (under MaxRunningPerOwner) goes to the next queued task of its owner.
        ReleaseRunSlot(runtime);

        _diagnostics.Ended(runtime, terminal, abandoned);

        await runtime.Events.PublishTerminal(terminal).ConfigureAwait(false);
        if (runtime.HasCancelOnCloseChildren)
        {
            CancelChildrenOnClose(runtime);
        }

        _live.Remove(runtime.TaskId, runtime);
        runtime.SetTerminal(terminal);
    }

    /// <summary>
    /// Whether a task spawned with <see cref="ParentClosePolicy.Cancel"/> names a parent task that has already ended, so it
    /// must be cancelled at once. The parent's end signals the children linked below it when it ends, and this spawn
    /// linked itself (in the live table, under its lock) before checking, so a child is never missed by both.
    /// </summary>
    private bool IsParentClosedFor(TaskRuntime runtime, string? parentTaskId)
    {
        if (runtime.Options.ParentClosePolicy != ParentClosePolicy.Cancel || parentTaskId is null)
        {
            return false;
        }

        return _live.TryGetValue(parentTaskId, out var parent)
            ? parent.IsEnded
            : Store?.Lookup(parentTaskId) is { } record && record.Status.IsTerminal();
    }

    /// <summary>Parent close: the live children spawned with <see cref="ParentClosePolicy.Cancel"/> are signalled; grandchildren follow their own parents.</summary>
    private void CancelChildrenOnClose(TaskRuntime parent)
    {
        var children = new List<TaskRuntime>();
        _live.CollectCancelOnCloseChildren(parent, children);

        // Outside the table's lock: signalling runs the children's token callbacks.
        foreach (var child in children)
        {
            Signal(child);
        }
    }
}
