namespace BackgroundTasks;

public sealed partial class BackgroundTaskManager
{
    /// <summary>Runs a body to its end and records the outcome. Never throws: every ending becomes a terminal status.</summary>
    internal async Task RunTaskAsync(TaskRuntime runtime)
    {
        // This flow belongs to the task now: nested spawns see it as their parent, and the tool-call
        // scope of whoever spawned it does not leak into the body's own calls.
        s_currentTaskId.Value = runtime.TaskId;
        ToolLineage.Current = null;
        TaskActivities.EnterBody(runtime.Activity);

        TaskResult? result = null;
        Exception? fault = null;
        try
        {
            var pending = runtime.InvokeBody();
            if (pending is not null)
            {
                result = await pending.ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            fault = exception;
        }

        await FinishAsync(runtime, result, fault).ConfigureAwait(false);
    }

    /// <summary>Writes a live task's record with its latest progress (see <see cref="ProgressReporter"/>).</summary>
    internal ValueTask WriteProgressAsync(TaskRuntime runtime, TaskProgress? progress) =>
        Store!.WriteAsync(runtime.Running with { Progress = progress });

    /// <summary>
    /// The end of a task, in the order the contract promises: the name is free and the agent inbox
    /// closed; the terminal record is in the store; then the terminal event goes out (the last of the
    /// task); then waiters wake.
    /// </summary>
    private async Task FinishAsync(TaskRuntime runtime, TaskResult? result, Exception? fault)
    {
        runtime.MarkEnded();
        runtime.AgentInbox?.Receiver.Close();

        // Released before the store shows the end, so an observer reacting to the terminal record can
        // reuse the name at once.
        ReleaseName(runtime);

        // After the last progress write, so none can overwrite the terminal record; which carries that progress.
        var progress = await runtime.CloseProgressAsync().ConfigureAwait(false);
        var terminal = TaskOutcome.ToTerminal(
            progress is null ? runtime.Running : runtime.Running with { Progress = progress },
            result, fault, runtime.CancellationToken.IsCancellationRequested, _timeProvider.GetUtcNow());
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

        _diagnostics.Ended(runtime, terminal);

        runtime.Events.PublishTerminal(terminal);
        _live.Remove(runtime.TaskId, runtime);
        runtime.SetTerminal(terminal);
    }
}
