using System.Threading.Tasks.Dataflow;

namespace BackgroundTasks;

/// <summary>Dataflow blocks that push work through a <see cref="BackgroundTaskManager"/>.</summary>
public static class BackgroundTaskDataflow
{
    /// <summary>
    /// A block that turns each input into a tracked task and emits the task's terminal summary.
    /// </summary>
    /// <typeparam name="TInput">The work item type.</typeparam>
    /// <param name="manager">The manager that runs and records the tasks.</param>
    /// <param name="ownerThreadId">The owner of every spawned task.</param>
    /// <param name="taskType">The task type of every spawned task.</param>
    /// <param name="describe">The description of an input's task.</param>
    /// <param name="body">The body run for an input.</param>
    /// <param name="options">
    /// Copied now. <see cref="ExecutionDataflowBlockOptions.MaxDegreeOfParallelism"/> bounds how many tasks
    /// run at once, <see cref="DataflowBlockOptions.BoundedCapacity"/> gives back-pressure,
    /// <see cref="DataflowBlockOptions.EnsureOrdered"/> keeps input order, and the
    /// <see cref="DataflowBlockOptions.CancellationToken"/> cancels the block and its running tasks.
    /// </param>
    /// <returns>The block.</returns>
    /// <exception cref="ArgumentNullException">A delegate or the manager is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> or <paramref name="taskType"/> is empty.</exception>
    /// <remarks>
    /// A spawn the manager refuses faults the block with that <see cref="SpawnException"/>. A task that
    /// fails does not: its Failed summary is emitted like any other.
    /// </remarks>
    public static IPropagatorBlock<TInput, TaskSummary> CreateSpawnBlock<TInput>(
        this BackgroundTaskManager manager, string ownerThreadId, string taskType,
        Func<TInput, string> describe, Func<TInput, TaskContext, Task<TaskResult>> body,
        ExecutionDataflowBlockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentException.ThrowIfNullOrEmpty(ownerThreadId);
        ArgumentException.ThrowIfNullOrEmpty(taskType);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentNullException.ThrowIfNull(body);

        var source = options ?? new ExecutionDataflowBlockOptions();
        var copy = new ExecutionDataflowBlockOptions
        {
            MaxDegreeOfParallelism = source.MaxDegreeOfParallelism,
            BoundedCapacity = source.BoundedCapacity,
            EnsureOrdered = source.EnsureOrdered,
            CancellationToken = source.CancellationToken,
            TaskScheduler = source.TaskScheduler,
            MaxMessagesPerTask = source.MaxMessagesPerTask,
            NameFormat = source.NameFormat,
            SingleProducerConstrained = source.SingleProducerConstrained,
        };
        var cancellation = copy.CancellationToken;

        return new TransformBlock<TInput, TaskSummary>(
            async input =>
            {
                var taskId = await manager.SpawnAsync(
                    ownerThreadId, taskType, null, describe(input), TaskParentContext.None,
                    context => body(input, context)).ConfigureAwait(false);
                using var registration = cancellation.CanBeCanceled
                    ? cancellation.UnsafeRegister(static state => CancelQuietly((TaskCancelRequest)state!), new TaskCancelRequest(manager, taskId))
                    : default;

                // The block's slot stays taken until the task has ended, which is what bounds parallelism.
                return await manager.WaitAsync(taskId).ConfigureAwait(false);
            },
            copy);
    }

    private static void CancelQuietly(TaskCancelRequest request) => _ = request.Manager.CancelAsync(request.TaskId);

    private sealed record TaskCancelRequest(BackgroundTaskManager Manager, string TaskId);
}
