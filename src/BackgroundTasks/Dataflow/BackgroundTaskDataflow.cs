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
    /// <para>
    /// A spawn the manager refuses faults the block with that <see cref="SpawnException"/>. A task that
    /// fails does not: its Failed summary is emitted like any other.
    /// </para>
    /// <para>
    /// When the token is cancelled the block declines new input, spawns nothing more (input it held but had not
    /// spawned is dropped), cancels its running tasks and still emits the terminal summary of every task it
    /// spawned; once those have been taken, its <see cref="IDataflowBlock.Completion"/> ends cancelled.
    /// </para>
    /// </remarks>
    public static IPropagatorBlock<TInput, TaskSummary> CreateSpawnBlock<TInput>(
        this BackgroundTaskManager manager, string ownerThreadId, string taskType,
        Func<TInput, string> describe, Func<TInput, TaskContext, Task<TaskResult>> body,
        ExecutionDataflowBlockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(describe);
        return CreateSpawnBlock(manager, ownerThreadId, taskType, input => new SpawnRequest(describe(input)), body, options);
    }

    /// <summary>
    /// A block that turns each input into a tracked task, with the name, lineage and runtime controls the input asks
    /// for, and emits the task's terminal summary.
    /// </summary>
    /// <typeparam name="TInput">The work item type.</typeparam>
    /// <param name="manager">The manager that runs and records the tasks.</param>
    /// <param name="ownerThreadId">The owner of every spawned task.</param>
    /// <param name="taskType">The task type of every spawned task.</param>
    /// <param name="request">What to spawn for an input: description, and optionally name, parent context and <see cref="SpawnOptions"/>.</param>
    /// <param name="body">The body run for an input.</param>
    /// <param name="options">
    /// Copied now; as for <see cref="CreateSpawnBlock{TInput}(BackgroundTaskManager, string, string, Func{TInput, string}, Func{TInput, TaskContext, Task{TaskResult}}, ExecutionDataflowBlockOptions?)"/>.
    /// </param>
    /// <returns>The block.</returns>
    /// <exception cref="ArgumentNullException">A delegate or the manager is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="ownerThreadId"/> or <paramref name="taskType"/> is empty.</exception>
    /// <remarks>
    /// A spawn the manager refuses (a duplicate name, say, or <see cref="SpawnError.QueueFull"/>) faults the block with
    /// that <see cref="SpawnException"/>, and so does a request the manager rejects as an argument; a null request
    /// faults it with an <see cref="InvalidOperationException"/>. Cancellation is as for the other overload.
    /// </remarks>
    public static IPropagatorBlock<TInput, TaskSummary> CreateSpawnBlock<TInput>(
        this BackgroundTaskManager manager, string ownerThreadId, string taskType,
        Func<TInput, SpawnRequest> request, Func<TInput, TaskContext, Task<TaskResult>> body,
        ExecutionDataflowBlockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentException.ThrowIfNullOrEmpty(ownerThreadId);
        ArgumentException.ThrowIfNullOrEmpty(taskType);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);

        var source = options ?? new ExecutionDataflowBlockOptions();
        var cancellation = source.CancellationToken;

        // Without the token: SpawnBlock explains why, and applies it.
        var copy = new ExecutionDataflowBlockOptions
        {
            MaxDegreeOfParallelism = source.MaxDegreeOfParallelism,
            BoundedCapacity = source.BoundedCapacity,
            EnsureOrdered = source.EnsureOrdered,
            TaskScheduler = source.TaskScheduler,
            MaxMessagesPerTask = source.MaxMessagesPerTask,
            NameFormat = source.NameFormat,
            SingleProducerConstrained = source.SingleProducerConstrained,
        };
        var spawn = new Spawn<TInput>(manager, ownerThreadId, taskType, request, body, cancellation);
        return new SpawnBlock<TInput>(new TransformManyBlock<TInput, TaskSummary>(spawn.RunAsync, copy), cancellation);
    }

    /// <summary>What the block does with one input: spawn its task, and hold the block's slot until it has ended.</summary>
    private sealed class Spawn<TInput>(BackgroundTaskManager manager, string ownerThreadId, string taskType,
        Func<TInput, SpawnRequest> request, Func<TInput, TaskContext, Task<TaskResult>> body, CancellationToken cancellation)
    {
        public async Task<IEnumerable<TaskSummary>> RunAsync(TInput input)
        {
            // The block was cancelled after this input got in: it is dropped, not spawned.
            if (cancellation.IsCancellationRequested)
            {
                return [];
            }

            var spawn = request(input) ?? throw new InvalidOperationException(Messages.NullSpawnRequest);
            var taskId = await manager.SpawnAsync(
                ownerThreadId, taskType, spawn.Name, spawn.Description, spawn.ParentContext, spawn.Options,
                context => body(input, context)).ConfigureAwait(false);

            // Registered after the spawn, so a cancellation that came meanwhile reaches the task at once.
            using var registration = cancellation.CanBeCanceled
                ? cancellation.UnsafeRegister(static state => CancelQuietly((TaskCancelRequest)state!), new TaskCancelRequest(manager, taskId))
                : default;

            // The block's slot stays taken until the task has ended, which is what bounds parallelism.
            return [await manager.WaitAsync(taskId).ConfigureAwait(false)];
        }

        private static void CancelQuietly(TaskCancelRequest request) => _ = request.Manager.CancelAsync(request.TaskId);
    }

    private sealed record TaskCancelRequest(BackgroundTaskManager Manager, string TaskId);
}
