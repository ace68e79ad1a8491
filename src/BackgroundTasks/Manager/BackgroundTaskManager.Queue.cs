namespace BackgroundTasks;

/// <content>
/// Concurrency limits: top-level tasks beyond <see cref="BackgroundTaskManagerOptions.MaxRunningPerOwner"/> wait in
/// their owner's queue as Queued records and start, in spawn order, as running ones end. Nothing here runs when
/// no running limit is set. The handoff between the spawn, the slot's release and a cancellation is described
/// on <see cref="QueuedStart"/>.
/// </content>
public sealed partial class BackgroundTaskManager
{
    /// <summary>Takes a run slot or a queue place, and the id number, for a top-level spawn. True when queued.</summary>
    /// <exception cref="SpawnException"><see cref="SpawnError.QueueFull"/>; the name is free again and no id was taken.</exception>
    private bool Admit(OwnerConcurrencyGate gate, string ownerThreadId, string? name, TaskRuntime runtime, out long number)
    {
        switch (gate.Admit(ownerThreadId, runtime, ref _lastId, out number))
        {
            case OwnerConcurrencyGate.Admission.Run:
                return false;
            case OwnerConcurrencyGate.Admission.Queue:
                return true;
            default:
                if (name is not null)
                {
                    _liveNames.TryRemove(new KeyValuePair<NameKey, TaskRuntime>(new NameKey(ownerThreadId, name), runtime));
                }

                throw new SpawnException(SpawnError.QueueFull, Messages.QueueFull(ownerThreadId, gate.MaxQueued), name: name);
        }
    }

    /// <summary>Makes a cancellation of a queued task take it out of its queue, whichever path signals it.</summary>
    /// <remarks>
    /// A token registration, not a check in each cancel method, so that every scope reaches it the same way: a
    /// single cancel, a tree, an owner, a run, a late spawn's check and disposal. Registered before the runtime
    /// is visible to any of them; the callback runs on the cancelling thread, where no lock is held.
    /// </remarks>
    private void WatchQueuedCancellation(TaskRuntime runtime) =>
        runtime.Queued!.Cancellation = runtime.CancellationToken.UnsafeRegister(
            static state =>
            {
                var (manager, runtime) = ((BackgroundTaskManager, TaskRuntime))state!;
                manager.DropIfQueued(runtime);
            },
            (this, runtime));

    /// <summary>The spawn has written the Queued record: act on a decision its queue already made.</summary>
    private void OnQueuedRecorded(TaskRuntime runtime)
    {
        switch (runtime.Queued!.SetRecorded())
        {
            case QueuedStart.Started:
                StartQueued(runtime);
                break;
            case QueuedStart.Dropped:
                _ = FinishDroppedAsync(runtime);
                break;
        }
    }

    private void DropIfQueued(TaskRuntime runtime)
    {
        var queued = runtime.Queued!;
        if (!_gate!.TryWithdraw(runtime))
        {
            // It has left its queue with a run slot; its body must still not start after this cancel returns.
            queued.PreventBody();
        }
        else if (queued.SetDecided(QueuedStart.Dropped))
        {
            _ = FinishDroppedAsync(runtime);
        }
    }

    /// <summary>
    /// Frees the run slot a top-level task held, handing it to the next queued task of the same owner. Called when
    /// a task ends and when a spawn is undone; does nothing for a task that holds no slot (always so without a limit).
    /// </summary>
    private void ReleaseRunSlot(TaskRuntime runtime)
    {
        if (Volatile.Read(ref runtime.HoldsRunSlot) == 0 || Interlocked.Exchange(ref runtime.HoldsRunSlot, 0) == 0)
        {
            return;
        }

        // Once disposal has begun no queued task starts: DisposeAsync cancels each of them, which ends it Cancelled.
        var next = _gate!.Release(runtime.Running.OwnerThreadId, handOver: !IsDisposed);
        if (next is not null && next.Queued!.SetDecided(QueuedStart.Started))
        {
            StartQueued(next);
        }
    }

    /// <summary>Undoes the admission of a spawn that could not be recorded: out of the queue, its slot freed.</summary>
    private void WithdrawAdmission(TaskRuntime runtime)
    {
        if (runtime.Queued is { } queued)
        {
            queued.Cancellation.Unregister();
            _gate!.TryWithdraw(runtime);
        }

        ReleaseRunSlot(runtime);
    }

    /// <summary>
    /// Starts a task that left its queue with a run slot, in its spawner's execution context: store observers that see
    /// its Running record, and then its body, run in the context a task started at spawn has, not in the context of
    /// whichever task's end handed it the slot (whose <see cref="CurrentTaskId"/> would make it a parent of their spawns).
    /// </summary>
    private void StartQueued(TaskRuntime runtime)
    {
        if (runtime.Queued!.SpawnContext is { } context)
        {
            ExecutionContext.Run(context, static state =>
            {
                var (manager, runtime) = ((BackgroundTaskManager, TaskRuntime))state!;
                _ = manager.StartQueuedAsync(runtime);
            }, (this, runtime));
        }
        else
        {
            _ = StartQueuedAsync(runtime);
        }
    }

    /// <summary>Its Running record, then its body.</summary>
    private async Task StartQueuedAsync(TaskRuntime runtime)
    {
        if (!runtime.CancellationToken.IsCancellationRequested)
        {
            var running = runtime.Running with { Status = BackgroundTaskStatus.Running, StartedAt = _timeProvider.GetUtcNow(), Attempt = 1 };
            runtime.MarkStarted(running);
            try
            {
                await Store!.WriteAsync(running).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // As for a task's end: the store refused the record (disposed, or its persistence failed); the body
                // still runs and its outcome still reaches the owner and every waiter.
                _diagnostics.PersistenceFault(exception, "start", runtime.TaskId);
            }
        }

        // Cancelled after it left the queue but before its body could start: the body never runs, as when a
        // cancellation finds the task still queued (a cancellation from here on is caught by TryEnterBody).
        if (runtime.CancellationToken.IsCancellationRequested)
        {
            await FinishDroppedAsync(runtime).ConfigureAwait(false);
            return;
        }

        runtime.Start(_taskScheduler);
    }

    /// <summary>Ends a task whose body never ran: Cancelled, with every ending step a body's end has.</summary>
    /// <remarks>
    /// Claimed as an abandonment claims a task that has not started, so that of the two (a cancel-and-wait or a
    /// disposal giving up on it, and this) only one ends it.
    /// </remarks>
    private Task FinishDroppedAsync(TaskRuntime runtime)
    {
        if (!runtime.TryAbandon())
        {
            return Task.CompletedTask;
        }

        var terminal = TaskOutcome.ToTerminal(runtime.Running, TaskResult.Cancelled, fault: null, cancellationRequested: true, _timeProvider.GetUtcNow());
        return FinishAsync(runtime, terminal, abandoned: false);
    }
}
